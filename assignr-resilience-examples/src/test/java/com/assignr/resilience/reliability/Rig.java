package com.assignr.resilience.reliability;

import static org.junit.jupiter.api.Assertions.fail;

import com.assignr.resilience.AssignrResilience;
import com.assignr.resilience.Decision;
import com.assignr.resilience.Outcome;
import com.assignr.resilience.RateLimitInfo;
import com.assignr.resilience.RequestInfo;
import com.assignr.resilience.RetryListener;
import com.assignr.resilience.Slf4jRetryListener;
import com.assignr.resilience.jdk.AssignrHttpClient;
import com.assignr.resilience.okhttp.AssignrCallFactory;
import com.assignr.resilience.okhttp.AssignrInterceptor;
import com.assignr.resilience.testing.CapturingLogger;
import com.assignr.resilience.testkit.VirtualTime;
import com.assignr.resilience.testkit.AssignrSimulator;
import com.assignr.resilience.testkit.RateLimitRule;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpResponse.BodySubscriber;
import java.net.http.HttpResponse.PushPromiseHandler;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.ConnectionPool;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * The reliability suite's test bed: one HTTPS simulator whose clock follows each scenario's
 * virtual time, one OkHttp client and one JDK client shared by every scenario, the three adapters
 * in both modes behind one calling convention, and the leak, log and event captures.
 */
final class Rig implements AutoCloseable {
  /** The credential every scenario sends; nothing the library writes may contain it. */
  static final String SECRET = "rel-s3cr3t-7f3a9c";
  static final String AUTHORIZATION = "Bearer " + SECRET;
  /** A query that carries the secret too (some integrations put tokens in URLs). */
  static final String SECRET_QUERY = "access_token=" + SECRET;
  static final String GAMES = "/sites/1/games";
  static final String CONFIRM = "/assignments/10011/confirm";
  static final String API = "/api/v2";

  /** The adapters under test. */
  enum Adapter {
    OKHTTP_INTERCEPTOR("OkHttp interceptor"),
    OKHTTP_FACTORY("OkHttp call factory"),
    JDK("JDK HttpClient");

    final String label;

    Adapter(String label) {
      this.label = label;
    }

    boolean okhttp() {
      return this != JDK;
    }
  }

  /** Blocking ({@code execute}/{@code send}) or not ({@code enqueue}/{@code sendAsync}). */
  enum Mode { SYNC, ASYNC }

  /** How one call ended, as its caller saw it. */
  record Result(int status, String body, Throwable error, long realNanos) {
    boolean failed() {
      return error != null;
    }

    @Override
    public String toString() {
      return error != null ? error.getClass().getSimpleName() + ": " + error.getMessage()
          : status + " (" + (body == null ? "no body" : body.length() + " chars") + ")";
    }
  }

  /** Per-call options. */
  record CallSpec(String method, String path, Duration timeout) {
    static CallSpec get(String path) {
      return new CallSpec("GET", path, null);
    }

    static CallSpec post(String path) {
      return new CallSpec("POST", path, null);
    }

    CallSpec timeout(Duration t) {
      return new CallSpec(method, path, t);
    }
  }

  final SwitchableClock clock = new SwitchableClock();
  final AssignrSimulator sim;
  final OkHttpClient ok;
  final DrainTrackingHttpClient jdk;
  final List<String> okHttpLeakWarnings = new CopyOnWriteArrayList<>();
  private final Logger okHttpLogger = Logger.getLogger(OkHttpClient.class.getName());
  private final Handler leakHandler = new Handler() {
    @Override
    public void publish(LogRecord record) {
      String message = record.getMessage();
      if (message != null && message.contains("leaked")) okHttpLeakWarnings.add(message);
    }

    @Override public void flush() {}

    @Override public void close() {}
  };

  Rig(AssignrSimulator.Builder simulator) {
    okHttpLogger.addHandler(leakHandler);
    sim = simulator.clock(clock).https(true).start();
    ok = new OkHttpClient.Builder()
        .sslSocketFactory(sim.sslContext().getSocketFactory(), sim.trustManager())
        .connectionPool(new ConnectionPool(16, 1, TimeUnit.MINUTES))
        .build();
    ok.dispatcher().setMaxRequestsPerHost(256);
    ok.dispatcher().setMaxRequests(256);
    jdk = new DrainTrackingHttpClient(HttpClient.newBuilder().sslContext(sim.sslContext())
        .version(HttpClient.Version.HTTP_1_1).build());
  }

  /** Whether the adapter waits by scheduling a task (else by sleeping on a thread). */
  static boolean schedules(Adapter adapter, Mode mode) {
    return mode == Mode.ASYNC && adapter != Adapter.OKHTTP_INTERCEPTOR;
  }

  /** Assignr's three rules on the scenario's virtual clock. */
  static Rig standard() {
    return new Rig(AssignrSimulator.builder().rateLimits(RateLimitRule.assignrDefaults()));
  }

  @Override
  public void close() {
    okHttpLogger.removeHandler(leakHandler);
    ok.dispatcher().cancelAll();
    ok.connectionPool().evictAll();
    ok.dispatcher().executorService().shutdown();
    sim.close();
  }

  /** A clean slate for the next scenario: simulator state, connections, leak warnings. */
  void reset(VirtualTime time) {
    sim.reset();
    // A connection the server dropped while idle would make a client resend the next scenario's
    // first request on its own and consume its scripted fault.
    ok.connectionPool().evictAll();
    clock.use(time.clock());
  }

  /** The library configured as in every scenario: virtual time, jitter at its minimum. */
  AssignrResilience.Builder config(VirtualTime time, RetryListener listener) {
    return AssignrResilience.builder().timeSource(time).random(() -> 0.0).listener(listener)
        .throwOnFailure(true);
  }

  /** The simulator's HTTPS URL for {@code path}, or {@code path} itself when it is absolute. */
  String url(String path) {
    return path.startsWith("http:") || path.startsWith("https:") ? path : sim.httpsBaseUrl() + path;
  }

  // ---------------------------------------------------------------------------------------------
  // One calling convention for every adapter and mode.

  /** Something that sends calls through one adapter in one mode, and can cancel the current one. */
  interface Caller {
    Result call(CallSpec spec);

    /** Starts a call without waiting for it; {@link Started#cancel()} cancels it as a user would. */
    Started start(CallSpec spec);
  }

  /** A call in progress. */
  interface Started {
    CompletableFuture<Result> result();

    void cancel();
  }

  Caller caller(Adapter adapter, Mode mode, AssignrResilience resilience) {
    return caller(adapter, mode, resilience, ok);
  }

  Caller caller(Adapter adapter, Mode mode, AssignrResilience resilience, OkHttpClient base) {
    return caller(adapter, mode, resilience, base, jdk);
  }

  Caller caller(Adapter adapter, Mode mode, AssignrResilience resilience, OkHttpClient base, HttpClient jdkBase) {
    switch (adapter) {
      case OKHTTP_INTERCEPTOR:
        return okCaller(base.newBuilder().addInterceptor(AssignrInterceptor.create(resilience)).build(), mode);
      case OKHTTP_FACTORY:
        return okCaller(AssignrCallFactory.create(base, resilience), mode);
      default:
        return jdkCaller(AssignrHttpClient.wrap(jdkBase, resilience), mode);
    }
  }

  Request okRequest(CallSpec spec) {
    Request.Builder b = new Request.Builder().url(url(spec.path())).header("Authorization", AUTHORIZATION);
    if (spec.method().equals("POST")) b.post(RequestBody.create("{}", (MediaType) null));
    else b.method(spec.method(), null);
    return b.build();
  }

  HttpRequest jdkRequest(CallSpec spec) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(spec.path())))
        .header("Authorization", AUTHORIZATION);
    if (spec.method().equals("POST")) b.POST(HttpRequest.BodyPublishers.ofString("{}"));
    else b.method(spec.method(), HttpRequest.BodyPublishers.noBody());
    if (spec.timeout() != null) b.timeout(spec.timeout());
    return b.build();
  }

  private Caller okCaller(Call.Factory calls, Mode mode) {
    return new Caller() {
      @Override
      public Result call(CallSpec spec) {
        if (mode == Mode.SYNC) { // on this thread
          long t0 = System.nanoTime();
          try {
            return read(calls.newCall(okRequest(spec)).execute(), t0);
          } catch (Throwable e) {
            return new Result(0, null, e, System.nanoTime() - t0);
          }
        }
        return await(start(spec).result());
      }

      @Override
      public Started start(CallSpec spec) {
        Call call = calls.newCall(okRequest(spec));
        CompletableFuture<Result> result = new CompletableFuture<>();
        long t0 = System.nanoTime();
        if (mode == Mode.ASYNC) {
          call.enqueue(new Callback() {
            @Override
            public void onFailure(Call c, IOException e) {
              result.complete(new Result(0, null, e, System.nanoTime() - t0));
            }

            @Override
            public void onResponse(Call c, Response response) {
              result.complete(read(response, t0));
            }
          });
        } else {
          Thread thread = new Thread(() -> {
            try {
              result.complete(read(call.execute(), t0));
            } catch (Throwable e) {
              result.complete(new Result(0, null, e, System.nanoTime() - t0));
            }
          }, "reliability-caller");
          thread.setDaemon(true);
          thread.start();
        }
        return new Started() {
          @Override public CompletableFuture<Result> result() { return result; }

          @Override public void cancel() { call.cancel(); }
        };
      }
    };
  }

  /** Reads the whole body and closes the response, as a careful caller does. */
  private static Result read(Response response, long t0) {
    try (Response r = response) {
      String body = r.body() == null ? null : r.body().string();
      return new Result(r.code(), body, null, System.nanoTime() - t0);
    } catch (IOException | RuntimeException e) {
      return new Result(response.code(), null, e, System.nanoTime() - t0);
    }
  }

  private Caller jdkCaller(HttpClient client, Mode mode) {
    return new Caller() {
      @Override
      public Result call(CallSpec spec) {
        if (mode == Mode.SYNC) { // on this thread
          long t0 = System.nanoTime();
          try {
            HttpResponse<String> r = client.send(jdkRequest(spec), BodyHandlers.ofString());
            return new Result(r.statusCode(), r.body(), null, System.nanoTime() - t0);
          } catch (Throwable e) {
            return new Result(0, null, e, System.nanoTime() - t0);
          }
        }
        return await(start(spec).result());
      }

      @Override
      public Started start(CallSpec spec) {
        HttpRequest request = jdkRequest(spec);
        CompletableFuture<Result> result = new CompletableFuture<>();
        long t0 = System.nanoTime();
        if (mode == Mode.ASYNC) {
          CompletableFuture<HttpResponse<String>> future = client.sendAsync(request, BodyHandlers.ofString());
          future.whenComplete((r, e) -> result.complete(r != null
              ? new Result(r.statusCode(), r.body(), null, System.nanoTime() - t0)
              : new Result(0, null, unwrap(e), System.nanoTime() - t0)));
          return new Started() {
            @Override public CompletableFuture<Result> result() { return result; }

            @Override public void cancel() { future.cancel(true); }
          };
        }
        Thread thread = new Thread(() -> {
          try {
            HttpResponse<String> r = client.send(request, BodyHandlers.ofString());
            result.complete(new Result(r.statusCode(), r.body(), null, System.nanoTime() - t0));
          } catch (Throwable e) {
            result.complete(new Result(0, null, e, System.nanoTime() - t0));
          }
        }, "reliability-caller");
        thread.setDaemon(true);
        thread.start();
        return new Started() {
          @Override public CompletableFuture<Result> result() { return result; }

          /** A blocking JDK call is cancelled the JDK way: by interrupting its thread. */
          @Override public void cancel() { thread.interrupt(); }
        };
      }
    };
  }

  static Throwable unwrap(Throwable t) {
    while ((t instanceof java.util.concurrent.CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  static Result await(CompletableFuture<Result> future) {
    try {
      return future.get(30, TimeUnit.SECONDS);
    } catch (InterruptedException | ExecutionException | TimeoutException e) {
      throw new AssertionError("call did not end", e);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Leak checks.

  /** Waits (real time, at most 10 s) until no call runs and no body is open; describes any leak. */
  String leaks() {
    awaitTrue(() -> ok.dispatcher().runningCallsCount() == 0, 10);
    awaitTrue(() -> jdk.openBodies() == 0, 10);
    List<String> leaks = new ArrayList<>();
    ConnectionPool pool = ok.connectionPool();
    if (pool.connectionCount() != pool.idleConnectionCount()) {
      leaks.add("OkHttp pool: " + pool.connectionCount() + " connections, "
          + pool.idleConnectionCount() + " idle");
    }
    if (!okHttpLeakWarnings.isEmpty()) leaks.add("OkHttp warned: " + okHttpLeakWarnings);
    if (jdk.openBodies() != 0) leaks.add("JDK: " + jdk.openBodies() + " response bodies neither drained nor cancelled");
    if (ok.dispatcher().runningCallsCount() != 0) leaks.add("OkHttp: calls still running");
    return String.join("; ", leaks);
  }

  static boolean awaitTrue(BooleanSupplier condition, int seconds) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) return false;
      Thread.onSpinWait();
      Thread.yield();
    }
    return true;
  }

  static void require(BooleanSupplier condition, int seconds, String what) {
    if (!awaitTrue(condition, seconds)) fail("timed out waiting for: " + what);
  }

  // ---------------------------------------------------------------------------------------------
  // Captures.

  /** Every event, as text (the {@code toString} of each argument), and the attempts made. */
  static final class EventLog implements RetryListener {
    final List<String> events = new CopyOnWriteArrayList<>();
    final AtomicInteger attempts = new AtomicInteger();

    @Override public void onAttempt(RequestInfo r, int a) {
      attempts.incrementAndGet();
      events.add("attempt " + r + " " + a);
    }
    @Override public void onOutcome(RequestInfo r, int a, Outcome o) { events.add("outcome " + r + " " + a + " " + o + " " + o.rateLimit()); }
    @Override public void onRetryScheduled(RequestInfo r, int a, Decision.Retry d) { events.add("retry " + r + " " + a + " " + d); }
    @Override public void onGateWait(RequestInfo r, int a, Duration w) { events.add("gateWait " + r + " " + a + " " + w); }
    @Override public void onRateLimitObserved(String k, RateLimitInfo i) { events.add("rateLimit " + k + " " + i); }
    @Override public void onGateClosed(String k, Duration c, String why) { events.add("gateClosed " + k + " " + c + " " + why); }
    @Override public void onGateOpened(String k) { events.add("gateOpened " + k); }
    @Override public void onGiveUp(RequestInfo r, int a, Duration e, Decision.Stop s, Outcome o) {
      events.add("giveUp " + r + " " + a + " " + e + " " + s + " " + o);
    }
  }

  /** A listener writing to a capturing logger and an event log at once. */
  static RetryListener listeners(CapturingLogger logger, EventLog events) {
    return RetryListener.composite(Slf4jRetryListener.create(logger), events);
  }

  /** The exception's message, its toString, and those of its causes and suppressed exceptions. */
  static List<String> describe(Throwable t) {
    List<String> out = new ArrayList<>();
    describe(t, out, 0);
    return out;
  }

  private static void describe(Throwable t, List<String> out, int depth) {
    if (t == null || depth > 8) return;
    out.add(String.valueOf(t.getMessage()));
    out.add(t.toString());
    if (t instanceof com.assignr.resilience.AssignrException a) {
      out.add(a.details().toString());
    }
    for (Throwable s : t.getSuppressed()) describe(s, out, depth + 1);
    describe(t.getCause(), out, depth + 1);
  }

  // ---------------------------------------------------------------------------------------------
  // Helpers.

  /** The simulator's clock, pointed at each scenario's virtual (or the real) time. */
  static final class SwitchableClock extends Clock {
    private volatile Clock delegate = Clock.systemUTC();

    void use(Clock clock) {
      delegate = clock;
    }

    @Override public ZoneId getZone() { return ZoneOffset.UTC; }

    @Override public Clock withZone(ZoneId zone) { return this; }

    @Override public Instant instant() { return delegate.instant(); }
  }

  /**
   * A pass-through {@link HttpClient} that watches every response body the adapter asks the JDK
   * to deliver: each must end (completed, failed, or its subscription cancelled). A body left
   * hanging would hold its connection forever.
   */
  static final class DrainTrackingHttpClient extends HttpClient {
    final HttpClient real;
    private final AtomicInteger opened = new AtomicInteger();
    private final AtomicInteger ended = new AtomicInteger();

    DrainTrackingHttpClient(HttpClient real) {
      this.real = real;
    }

    int openBodies() {
      return opened.get() - ended.get();
    }

    int bodies() {
      return opened.get();
    }

    <T> BodyHandler<T> track(BodyHandler<T> handler) {
      return info -> {
        BodySubscriber<T> s = handler.apply(info);
        opened.incrementAndGet();
        return new Tracked<>(s);
      };
    }

    private final class Tracked<T> implements BodySubscriber<T> {
      private final BodySubscriber<T> s;
      private final AtomicBoolean done = new AtomicBoolean();

      Tracked(BodySubscriber<T> s) {
        this.s = s;
      }

      private void end() {
        if (done.compareAndSet(false, true)) ended.incrementAndGet();
      }

      @Override public CompletionStage<T> getBody() { return s.getBody(); }

      @Override
      public void onSubscribe(Flow.Subscription subscription) {
        s.onSubscribe(new Flow.Subscription() {
          @Override public void request(long n) { subscription.request(n); }

          @Override public void cancel() {
            end();
            subscription.cancel();
          }
        });
      }

      @Override public void onNext(List<ByteBuffer> item) { s.onNext(item); }

      @Override public void onError(Throwable throwable) {
        end();
        s.onError(throwable);
      }

      @Override public void onComplete() {
        end();
        s.onComplete();
      }
    }

    @Override
    public <T> HttpResponse<T> send(HttpRequest request, BodyHandler<T> handler) throws IOException, InterruptedException {
      return real.send(request, track(handler));
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, BodyHandler<T> handler) {
      return real.sendAsync(request, track(handler));
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, BodyHandler<T> handler,
        PushPromiseHandler<T> push) {
      return real.sendAsync(request, track(handler), push);
    }

    @Override public Optional<java.net.CookieHandler> cookieHandler() { return real.cookieHandler(); }
    @Override public Optional<Duration> connectTimeout() { return real.connectTimeout(); }
    @Override public Redirect followRedirects() { return real.followRedirects(); }
    @Override public Optional<java.net.ProxySelector> proxy() { return real.proxy(); }
    @Override public SSLContext sslContext() { return real.sslContext(); }
    @Override public SSLParameters sslParameters() { return real.sslParameters(); }
    @Override public Optional<java.net.Authenticator> authenticator() { return real.authenticator(); }
    @Override public Version version() { return real.version(); }
    @Override public Optional<Executor> executor() { return real.executor(); }

    @Override
    public String toString() {
      return "DrainTracking(" + real + ")";
    }
  }
}
