package com.assignr.resilience.okhttp.internal;

import com.assignr.resilience.AssignrResilience;
import com.assignr.resilience.spi.AttemptContext;
import com.assignr.resilience.spi.CallOptions;
import com.assignr.resilience.RequestInfo;
import com.assignr.resilience.TimeSource;
import com.assignr.resilience.internal.Exceptions;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import kotlin.jvm.JvmClassMappingKt;
import kotlin.jvm.functions.Function0;
import kotlin.reflect.KClass;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okio.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Call} of {@code AssignrCallFactory}. Not for users.
 *
 * <h2>How does it wait without a thread, and why?</h2>
 *
 * <p>An interceptor can only wait by holding the thread that runs it, and under {@code enqueue}
 * that thread belongs to OkHttp's dispatcher (64 in all, 5 per host): 64 calls waiting out a 40 s
 * rate-limit reset would stop every other call of the client. This call instead hands core's
 * {@code executeAsync} one attempt at a time: each attempt is a fresh {@code
 * client.newCall(request).enqueue(...)} bridged to a {@link CompletableFuture}, and every delay
 * between attempts (a retry's backoff, a closed rate-limit gate) is a task scheduled on the {@link
 * TimeSource}. While it waits, the dispatcher does not know the call exists.
 *
 * <p>Cancelling cancels core's future, which withdraws the scheduled task and cancels the attempt
 * future, whose completion cancels the OkHttp call in flight. Outcomes are delivered on the
 * client's dispatcher executor, never on the scheduler's thread, so a slow callback delays nobody.
 *
 * <p>Method signatures only present in OkHttp 5 ({@code tag(...)}) are implemented too: the class
 * is compiled against OkHttp 5 and links on OkHttp 4.12, where they are simply never called.
 */
public final class ResilientCall implements Call {
  private static final Logger LOG = LoggerFactory.getLogger(ResilientCall.class);

  private final OkHttpClient client;
  private final AssignrResilience resilience;
  private final Request originalRequest;
  private final Timeout timeout;
  private final AtomicBoolean executed = new AtomicBoolean();
  private final ConcurrentMap<Class<?>, Object> tags = new ConcurrentHashMap<>();
  private volatile boolean canceled;
  /** The synchronous attempt in flight, for {@link #cancel()}. */
  private volatile Call inFlight;
  /** Core's future of an enqueued call, for {@link #cancel()}. */
  private volatile CompletableFuture<Response> future;

  private ResilientCall(OkHttpClient client, AssignrResilience resilience, Request request) {
    this.client = client;
    this.resilience = resilience;
    this.originalRequest = request;
    this.timeout = new Timeout().timeout(client.callTimeoutMillis(), TimeUnit.MILLISECONDS);
  }

  /** A new, unexecuted call. */
  public static ResilientCall create(OkHttpClient client, AssignrResilience resilience, Request request) {
    return new ResilientCall(client, resilience, request);
  }

  @Override
  public Request request() {
    return originalRequest;
  }

  @Override
  public Response execute() throws IOException {
    markExecuted();
    Request request = OkHttpRequests.prepare(originalRequest, resilience);
    return resilience.executor().execute(OkHttpRequests.info(request), options(request),
        attempt -> {
          Call call = attemptCall(request, attempt);
          inFlight = call;
          try {
            if (canceled) call.cancel();
            return OkHttpRedirects.undoMethodChange(call.request(), call.execute());
          } finally {
            inFlight = null;
          }
        },
        OkHttpResponses.ADAPTER);
  }

  @Override
  public void enqueue(Callback callback) {
    markExecuted();
    Request request = OkHttpRequests.prepare(originalRequest, resilience);
    CompletableFuture<Response> result = resilience.executor().executeAsync(
        OkHttpRequests.info(request), options(request),
        attempt -> {
          Call call = attemptCall(request, attempt);
          return enqueueAttempt(call.request(), call);
        },
        OkHttpResponses.ADAPTER);
    future = result;
    if (canceled) result.cancel(false);
    result.whenComplete((response, error) -> deliver(callback, response, error));
  }

  private CallOptions options(Request request) {
    return OkHttpRequests.options(request, timeout.timeoutNanos(), this::isCanceled);
  }

  /**
   * One attempt of the client, bounded by what the executor says is left of the call's deadline
   * (this call's timeout, or the policy's): the attempt's own call timeout is set from it, and
   * unbounded only when the call has no deadline at all.
   */
  private Call attemptCall(Request request, AttemptContext attempt) {
    Call call = client.newCall(OkHttpRequests.forAttempt(request, attempt));
    long left = attempt.nanosLeft();
    call.timeout().timeout(left == Long.MAX_VALUE ? 0 : Math.max(1, left), TimeUnit.NANOSECONDS);
    return call;
  }

  /** Bridges one OkHttp enqueue to a future; cancelling the future cancels the call. */
  private static CompletableFuture<Response> enqueueAttempt(Request request, Call call) {
    CompletableFuture<Response> attempt = new CompletableFuture<>();
    attempt.whenComplete((response, error) -> {
      if (attempt.isCancelled()) call.cancel();
    });
    call.enqueue(new Callback() {
      @Override
      public void onFailure(Call c, IOException e) {
        attempt.completeExceptionally(e);
      }

      @Override
      public void onResponse(Call c, Response response) {
        Response answer = OkHttpRedirects.undoMethodChange(request, response);
        if (!attempt.complete(answer)) OkHttpResponses.closeQuietly(answer);
      }
    });
    return attempt;
  }

  /** Hands the outcome to the callback on the dispatcher's executor, exactly once. */
  private void deliver(Callback callback, Response response, Throwable error) {
    Runnable task = () -> {
      if (error == null) {
        try {
          callback.onResponse(this, response);
        } catch (IOException e) {
          LOG.info("Callback failure for {}", this, e);
        }
      } else {
        callback.onFailure(this, asIOException(error));
      }
    };
    ExecutorService executor = client.dispatcher().executorService();
    try {
      executor.execute(task);
    } catch (RejectedExecutionException e) {
      task.run();
    }
  }

  private IOException asIOException(Throwable error) {
    Throwable t = Exceptions.unwrap(error);
    if (t instanceof IOException) return (IOException) t;
    if (t instanceof CancellationException || canceled) {
      InterruptedIOException e = new InterruptedIOException("Canceled");
      e.initCause(t);
      return e;
    }
    return new IOException(t.toString(), t);
  }

  private void markExecuted() {
    if (!executed.compareAndSet(false, true)) throw new IllegalStateException("Already Executed");
  }

  @Override
  public void cancel() {
    canceled = true;
    Call call = inFlight;
    if (call != null) call.cancel();
    CompletableFuture<Response> result = future;
    if (result != null) result.cancel(false);
  }

  @Override
  public boolean isExecuted() {
    return executed.get();
  }

  @Override
  public boolean isCanceled() {
    return canceled;
  }

  /**
   * Bounds the whole call, waits included; starts at the client's call timeout. Each attempt gets
   * what is left of it.
   */
  @Override
  public Timeout timeout() {
    return timeout;
  }

  /** A new, unexecuted call of the same request (with the client's timeout, as in OkHttp). */
  @Override
  @SuppressWarnings("MethodDoesntCallSuperMethod")
  public Call clone() {
    return new ResilientCall(client, resilience, originalRequest);
  }

  // OkHttp 5 call tags: seeded from the request's tags, growing as tags are computed.

  @Override
  public <T> T tag(Class<? extends T> type) {
    Object value = tags.get(type);
    if (value == null) value = originalRequest.tag(type);
    return type.cast(value);
  }

  @Override
  public <T> T tag(KClass<T> type) {
    return tag(JvmClassMappingKt.getJavaClass(type));
  }

  @Override
  public <T> T tag(Class<T> type, Function0<? extends T> computeIfAbsent) {
    T existing = tag(type);
    if (existing != null) return existing;
    T computed = computeIfAbsent.invoke();
    Object previous = tags.putIfAbsent(type, computed);
    return previous != null ? type.cast(previous) : computed;
  }

  @Override
  public <T> T tag(KClass<T> type, Function0<? extends T> computeIfAbsent) {
    return tag(JvmClassMappingKt.getJavaClass(type), computeIfAbsent);
  }

  @Override
  public String toString() {
    return "AssignrCall{" + originalRequest.method() + " " + originalRequest.url().host()
        + originalRequest.url().encodedPath() + (canceled ? ", canceled" : "") + '}';
  }
}
