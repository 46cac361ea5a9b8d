package com.assignr.resilience.httpclient5.internal;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import org.apache.hc.client5.http.classic.ExecChainHandler;
import org.apache.hc.client5.http.classic.HttpClient;
import org.apache.hc.client5.http.impl.classic.HttpRequestRetryExec;
import org.apache.hc.client5.http.impl.classic.RedirectExec;

/**
 * Reads the exec chain of a client HttpClient's builder made. Not for users.
 *
 * <p>HttpClient offers no way to ask a built client whether it retries or follows redirects: the
 * chain is a private field of the package-private {@code InternalHttpClient}, a linked list of
 * package-private {@code ExecChainElement}s ({@code handler}, {@code next}), unchanged from 5.0 to
 * 5.6. It is read by reflection, which HttpClient's automatic modules permit (they open every
 * package). Anything else (another client class, a field renamed, reflection denied) reads as
 * "cannot tell".
 */
public final class Hc5Chains {
  private static final String INTERNAL_CLIENT = "org.apache.hc.client5.http.impl.classic.InternalHttpClient";

  private Hc5Chains() {}

  /** The handlers of {@code client}'s chain, outermost first, or null when that cannot be told. */
  static List<ExecChainHandler> handlers(HttpClient client) {
    if (client == null || !client.getClass().getName().equals(INTERNAL_CLIENT)) return null;
    try {
      Object element = read(client, "execChain");
      List<ExecChainHandler> handlers = new ArrayList<>();
      for (int i = 0; element != null && i < 64; i++) {
        handlers.add((ExecChainHandler) read(element, "handler"));
        element = read(element, "next");
      }
      return handlers;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  private static Object read(Object owner, String name) throws ReflectiveOperationException {
    Field field = owner.getClass().getDeclaredField(name);
    field.setAccessible(true);
    return field.get(owner);
  }

  /** Whether HttpClient's own {@code HttpRequestRetryExec} is in {@code client}'s chain. */
  public static boolean retriesOnItsOwn(HttpClient client) {
    List<ExecChainHandler> handlers = handlers(client);
    return handlers != null && handlers.stream().anyMatch(HttpRequestRetryExec.class::isInstance);
  }

  /**
   * Whether {@code client}'s chain has exactly one of our handlers and neither HttpClient's
   * retries nor its redirects.
   */
  public static boolean isConfigured(HttpClient client) {
    List<ExecChainHandler> handlers = handlers(client);
    if (handlers == null) return false;
    return handlers.stream().filter(AssignrExecHandler.class::isInstance).count() == 1
        && handlers.stream().noneMatch(h -> h instanceof HttpRequestRetryExec || h instanceof RedirectExec);
  }
}
