package com.assignr.resilience.jdk.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.http.HttpClient;
import java.time.Duration;

/**
 * Reaches the lifecycle methods Java 21 added to {@link HttpClient} while compiling for Java 17:
 * looked up once; absent on 17, where every call is a no-op.
 */
public final class Lifecycle {
  private static final MethodHandle SHUTDOWN = find("shutdown", MethodType.methodType(void.class));
  private static final MethodHandle SHUTDOWN_NOW = find("shutdownNow", MethodType.methodType(void.class));
  private static final MethodHandle AWAIT = find("awaitTermination",
      MethodType.methodType(boolean.class, Duration.class));
  private static final MethodHandle TERMINATED = find("isTerminated", MethodType.methodType(boolean.class));
  private static final MethodHandle CLOSE = find("close", MethodType.methodType(void.class));

  private Lifecycle() {}

  private static MethodHandle find(String name, MethodType type) {
    try {
      return MethodHandles.publicLookup().findVirtual(HttpClient.class, name, type);
    } catch (NoSuchMethodException | IllegalAccessException e) {
      return null;
    }
  }

  public static void shutdown(HttpClient client) {
    if (SHUTDOWN != null) invokeVoid(SHUTDOWN, client);
  }

  public static void shutdownNow(HttpClient client) {
    if (SHUTDOWN_NOW != null) invokeVoid(SHUTDOWN_NOW, client);
  }

  public static void close(HttpClient client) {
    if (CLOSE != null) invokeVoid(CLOSE, client);
  }

  public static boolean isTerminated(HttpClient client) {
    if (TERMINATED == null) return false;
    try {
      return (boolean) TERMINATED.invoke(client);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }

  public static boolean awaitTermination(HttpClient client, Duration duration) throws InterruptedException {
    if (AWAIT == null) return false;
    try {
      return (boolean) AWAIT.invoke(client, duration);
    } catch (InterruptedException | RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }

  private static void invokeVoid(MethodHandle handle, HttpClient client) {
    try {
      handle.invoke(client);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }
}
