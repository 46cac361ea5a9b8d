package com.assignr.resilience.okhttp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.assignr.resilience.AssignrResilience;
import com.assignr.resilience.RetryListener;
import com.assignr.resilience.testkit.AssignrSimulator;
import com.assignr.resilience.testkit.JournalEntry;
import com.assignr.resilience.testkit.ScriptedResponse;
import com.assignr.resilience.testkit.VirtualTime;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.ConnectionPool;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One HTTPS simulator and one OkHttp client per test class; after every test, the client's pool
 * must hold no connection in use and OkHttp must not have warned of a leaked response.
 */
final class OkHttpHarness implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
    AfterEachCallback {
  static final String RESET_SECONDS = "X-Ratelimit-Reset-Seconds-Remaining";
  static final String TOKEN = "Bearer test-token";

  /** How each scenario is run: through which adapter, and blocking or not. */
  enum Mode {
    INTERCEPTOR_EXECUTE(false, false),
    INTERCEPTOR_ENQUEUE(false, true),
    FACTORY_EXECUTE(true, false),
    FACTORY_ENQUEUE(true, true);

    final boolean factory;
    final boolean async;

    Mode(boolean factory, boolean async) {
      this.factory = factory;
      this.async = async;
    }

    Call.Factory calls(OkHttpClient client, AssignrResilience resilience) {
      return factory ? AssignrCallFactory.create(client, resilience)
          : client.newBuilder().addInterceptor(AssignrInterceptor.create(resilience)).build();
    }

    /** Only the factory's enqueue schedules its waits; every other mode sleeps on a thread. */
    boolean schedules() {
      return factory && async;
    }

    List<Duration> waits(VirtualTime time) {
      return schedules() ? time.scheduledDelays() : time.sleeps();
    }

    /** Blocks (in real time, at most 10 s) until {@code n} calls are waiting. */
    void awaitWaiting(VirtualTime time, int n, List<CompletableFuture<Response>> calls)
        throws InterruptedException {
      boolean ok = schedules() ? time.awaitScheduled(n, Duration.ofSeconds(10))
          : time.awaitSleepers(n, Duration.ofSeconds(10));
      if (!ok) {
        StringBuilder state = new StringBuilder(n + " calls should be waiting; sleeps " + time.sleeps()
            + ", scheduled " + time.scheduledDelays() + "; calls: ");
        for (CompletableFuture<Response> call : calls) {
          state.append(call.isDone() ? call.handle((r, e) -> r != null ? r.code() : e).join() : "running")
              .append(", ");
        }
        Thread.getAllStackTraces().forEach((thread, stack) -> {
          if (thread.getName().contains("test-caller")) {
            state.append("\n").append(thread.getName());
            for (StackTraceElement e : stack) state.append("\n  at ").append(e);
          }
        });
        fail(state.toString());
      }
    }

    /** Starts the call: on the dispatcher for enqueue, on {@code threads} for execute. */
    CompletableFuture<Response> start(Call call, ExecutorService threads) {
      CompletableFuture<Response> result = new CompletableFuture<>();
      if (async) {
        call.enqueue(new Callback() {
          @Override
          public void onFailure(Call c, IOException e) {
            if (!result.completeExceptionally(e)) fail("callback called twice");
          }

          @Override
          public void onResponse(Call c, Response response) {
            if (!result.complete(response)) fail("callback called twice");
          }
        });
      } else {
        threads.execute(() -> {
          try {
            result.complete(call.execute());
          } catch (Throwable e) {
            result.completeExceptionally(e);
          }
        });
      }
      return result;
    }

    /** Runs the call to its end. */
    Response send(Call call) throws IOException {
      if (!async) return call.execute();
      return await(start(call, null));
    }
  }

  private final SwitchableClock clock = new SwitchableClock();
  /** Requests as they went on the wire (after OkHttp's bridge), for header assertions. */
  final LinkedBlockingQueue<Request> sent = new LinkedBlockingQueue<>();
  private final List<String> leakWarnings = new CopyOnWriteArrayList<>();
  /** Held strongly: java.util.logging keeps loggers only weakly. */
  private Logger okHttpLogger;
  private final Handler leakHandler = new Handler() {
    @Override
    public void publish(LogRecord record) {
      String message = record.getMessage();
      if (message != null && message.contains("was leaked")) leakWarnings.add(message);
    }

    @Override public void flush() {}

    @Override public void close() {}
  };
  private AssignrSimulator sim;
  private OkHttpClient client;
  private ExecutorService threads;

  AssignrSimulator sim() {
    return sim;
  }

  /** The shared client: trusts the simulator, records what it sends, no Assignr adapter. */
  OkHttpClient client() {
    return client;
  }

  /** For blocking calls started in the background. */
  ExecutorService threads() {
    return threads;
  }

  /** A configuration on {@code time}, jitter pinned at its minimum, no logging. */
  AssignrResilience.Builder resilience(VirtualTime time) {
    clock.delegate = time.clock();
    return AssignrResilience.builder().timeSource(time).random(() -> 0.0).listener(RetryListener.NONE);
  }

  String url(String path) {
    return sim.httpsBaseUrl() + path;
  }

  Request.Builder request(String path) {
    return new Request.Builder().url(url(path)).header("Authorization", TOKEN);
  }

  /** Scripts the next responses, one status each. */
  void script(int... statuses) {
    for (int status : statuses) sim.script().next(1).respond(ScriptedResponse.status(status));
  }

  List<JournalEntry> journal() {
    return sim.journal().entries();
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    okHttpLogger = Logger.getLogger(OkHttpClient.class.getName());
    okHttpLogger.addHandler(leakHandler);
    sim = AssignrSimulator.builder().clock(clock).https(true).start();
    client = new OkHttpClient.Builder()
        .sslSocketFactory(sim.sslContext().getSocketFactory(), sim.trustManager())
        .connectionPool(new ConnectionPool(16, 1, TimeUnit.MINUTES))
        .addNetworkInterceptor(chain -> {
          sent.add(chain.request());
          return chain.proceed(chain.request());
        })
        .build();
    client.dispatcher().setMaxRequestsPerHost(64);
    threads = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "test-caller");
      t.setDaemon(true);
      return t;
    });
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    sim.reset();
    sent.clear();
    // Fresh connections for every test: a connection the server dropped while idle makes OkHttp
    // resend the first request of the next test on its own (retryOnConnectionFailure), which
    // would consume that test's scripted response.
    client.connectionPool().evictAll();
    clock.delegate = Clock.fixed(Instant.parse("2026-11-25T12:00:00Z"), ZoneOffset.UTC);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    if (context.getExecutionException().isPresent()) {
      client.dispatcher().cancelAll(); // a failed test must not hold up the next ones
      return;
    }
    awaitTrue(() -> client.dispatcher().runningCallsCount() == 0, "no call still running");
    ConnectionPool pool = client.connectionPool();
    assertEquals(pool.connectionCount(), pool.idleConnectionCount(),
        "every connection is back in the pool: no response was leaked");
    assertEquals(List.of(), leakWarnings, "OkHttp's leak warning");
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (client == null || sim == null || threads == null) { // beforeAll failed: report that alone
      if (sim != null) sim.close();
      return;
    }
    try {
      // A leaked response is only reported once its call is garbage and the pool cleans up.
      System.gc();
      client.connectionPool().evictAll();
      assertEquals(0, client.connectionPool().connectionCount(), "connections left after evictAll");
      assertEquals(List.of(), leakWarnings, "OkHttp's leak warning");
    } finally {
      okHttpLogger.removeHandler(leakHandler);
      threads.shutdownNow();
      client.dispatcher().executorService().shutdown();
      sim.close();
    }
  }

  /** The future's response, or its failure as thrown by a blocking call. */
  static Response await(CompletableFuture<Response> future) throws IOException {
    try {
      return future.get(20, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException) throw (IOException) e.getCause();
      if (e.getCause() instanceof RuntimeException) throw (RuntimeException) e.getCause();
      throw new AssertionError(e.getCause());
    } catch (InterruptedException | TimeoutException e) {
      throw new AssertionError("call did not end", e);
    }
  }

  /** Spins (in real time, at most 10 s) until the condition holds: no sleeping. */
  static void awaitTrue(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) fail("timed out waiting for: " + what);
      Thread.onSpinWait();
      Thread.yield();
    }
  }

  /** The simulator's clock, pointed at each test's virtual time. */
  private static final class SwitchableClock extends Clock {
    volatile Clock delegate = Clock.systemUTC();

    @Override public ZoneId getZone() { return ZoneOffset.UTC; }

    @Override public Clock withZone(ZoneId zone) { return this; }

    @Override public Instant instant() { return delegate.instant(); }
  }
}
