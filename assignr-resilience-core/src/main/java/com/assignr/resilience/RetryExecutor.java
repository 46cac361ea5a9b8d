package com.assignr.resilience;

import com.assignr.resilience.internal.Exceptions;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/**
 * The retry loop shared by both adapters and open to any other HTTP client: it passes each attempt
 * through the rate-limit gate and the circuit breaker, asks the {@link RetryEngine} what to do, and
 * waits, through the {@link TimeSource} only, for as long as the engine says. Responses it does
 * not return are handed to {@link ResponseAdapter#discard} before the next attempt.
 *
 * <pre>{@code
 * RetryExecutor executor = resilience.executor();
 * MyResponse response = executor.execute(
 *     RequestInfo.of("GET", uri, true),
 *     CallOptions.none().withGate(resilience.gateFor(uri.getHost(), authorization)),
 *     attempt -> myClient.get(uri),
 *     myResponseAdapter);
 * }</pre>
 */
public final class RetryExecutor {
  /** One attempt of a blocking call. */
  @FunctionalInterface
  public interface Attempt<R> {
    R call(AttemptContext context) throws IOException;
  }

  /** One attempt of a non-blocking call. Throwing is treated like returning a failed future. */
  @FunctionalInterface
  public interface AsyncAttempt<R> {
    CompletableFuture<R> call(AttemptContext context);
  }

  private final AssignrResilience config;
  private final RetryEngine engine;
  private final TimeSource time;
  private final RetryListener listener;
  private final CircuitBreaker breaker;
  private final long policyTimeoutNanos;
  private final long capNanos;

  RetryExecutor(AssignrResilience config) {
    this.config = config;
    this.engine = config.engine();
    this.time = config.timeSource();
    this.listener = config.listener();
    this.breaker = config.circuitBreaker();
    this.policyTimeoutNanos = config.policy().totalTimeout() == null ? Long.MAX_VALUE
        : config.policy().totalTimeout().toNanos();
    this.capNanos = config.policy().maxServerWait().toNanos();
  }

  /**
   * Runs {@code attempt} until the engine stops, waiting on this thread.
   *
   * @return the final response: a success, or (unless {@code throwOnFailure}) the last failure
   * @throws AssignrException when the call cannot succeed and exceptions were asked for, or no
   *     response is left to return (I/O failures, caps, an open circuit)
   * @throws InterruptedIOException when cancelled or interrupted (the interrupt flag is restored)
   */
  public <R> R execute(RequestInfo request, CallOptions options, Attempt<R> attempt,
      ResponseAdapter<R> adapter) throws IOException {
    config.checkSecure(request);
    long start = time.nanoTime();
    RateLimitGate gate = config.gateFor(request, options.credentials());
    long firstWait = breaker == null && gate != null ? gate.tryAcquire(start, capNanos) : 0;
    if (breaker != null || firstWait != 0) {
      Call<R> call = new Call<>(request, options, adapter, start);
      long now = start;
      if (firstWait != 0) {
        sleep(call, waitOrGiveUp(call, 1, start, firstWait));
        now = time.nanoTime();
      }
      return loop(call, attempt, null, null, now);
    }
    // The common case, kept free of per-call state: the first attempt is admitted at once.
    listener.onAttempt(request, 1);
    R response = null;
    Outcome outcome;
    try {
      response = attempt.call(new Ctx(1, start));
      outcome = Outcome.response(adapter.status(response), adapter.headers(response));
    } catch (IOException | RuntimeException e) {
      outcome = Outcome.failure(e, FailureClassifier.classify(e, options.cancellation().isCancelled()));
    } catch (Error e) {
      if (gate != null) gate.release();
      throw e;
    }
    if (outcome.classification() == Classification.SUCCESS) {
      if (gate != null) gate.onResponse(outcome.status(), outcome.rateLimit(), time.nanoTime());
      listener.onOutcome(request, 1, outcome);
      return response;
    }
    Call<R> call = new Call<>(request, options, adapter, start);
    call.admitted = gate != null;
    return loop(call, attempt, response, outcome, start);
  }

  /**
   * The blocking loop, from attempt 1 at {@code firstNow}; when {@code firstOutcome} is given,
   * attempt 1 has already been made (admitted by the gate, not yet accounted for).
   */
  private <R> R loop(Call<R> call, Attempt<R> attempt, R firstResponse, Outcome firstOutcome,
      long firstNow) throws IOException {
    for (int n = 1; ; n++) {
      R response = null;
      Outcome outcome;
      long attemptStart;
      if (n == 1 && firstOutcome != null) {
        response = firstResponse;
        outcome = firstOutcome;
        attemptStart = call.start;
      } else {
        attemptStart = awaitGate(call, n, n == 1 ? firstNow : time.nanoTime());
        try {
          response = attempt.call(new Ctx(n, call));
          outcome = Outcome.response(call.adapter.status(response), call.adapter.headers(response));
        } catch (IOException | RuntimeException e) {
          outcome = Outcome.failure(e, FailureClassifier.classify(e, call.isCancelled()));
        } catch (Error e) {
          releaseGate(call); // an attempt that never answers must not hold the gate's budget
          if (breaker != null) breaker.releasePermission();
          throw e;
        }
      }
      Decision decision = afterAttempt(call, n, outcome, attemptStart);
      if (decision instanceof Decision.Retry) {
        Decision.Retry retry = (Decision.Retry) decision;
        call.discard(response, outcome);
        sleep(call, retry.delay().toNanos());
        continue;
      }
      return finish(call, n, (Decision.Stop) decision, outcome, response);
    }
  }

  /**
   * Runs {@code attempt} until the engine stops, scheduling every wait instead of holding a thread.
   * Cancelling the returned future withdraws a pending wait and cancels the attempt in flight.
   */
  public <R> CompletableFuture<R> executeAsync(RequestInfo request, CallOptions options,
      AsyncAttempt<R> attempt, ResponseAdapter<R> adapter) {
    try {
      config.checkSecure(request);
    } catch (InsecureRequestException e) {
      return CompletableFuture.failedFuture(e);
    }
    AsyncCall<R> call = new AsyncCall<>(request, options, adapter, attempt);
    call.next(1);
    return call.result;
  }

  // ---------------------------------------------------------------------------------------------
  // The steps both loops share.

  private final class Ctx implements AttemptContext {
    final int n;
    final long start;
    final long budget;

    Ctx(int n, long start) {
      this.n = n;
      this.start = start;
      this.budget = policyTimeoutNanos;
    }

    Ctx(int n, Call<?> call) {
      this.n = n;
      this.start = call.start;
      this.budget = call.budget;
    }

    @Override public int number() { return n; }

    @Override public long nanosLeft() {
      return budget == Long.MAX_VALUE ? Long.MAX_VALUE : start + budget - time.nanoTime();
    }
  }

  /** Per-call state: start, deadline, earlier failures. */
  private class Call<R> {
    final RequestInfo request;
    final CallOptions options;
    final ResponseAdapter<R> adapter;
    final RateLimitGate gate;
    final long start;
    final long budget;
    List<Throwable> earlier;
    Outcome last;
    boolean admitted;

    Call(RequestInfo request, CallOptions options, ResponseAdapter<R> adapter, long start) {
      this.request = request;
      this.options = options;
      this.adapter = adapter;
      this.gate = config.gateFor(request, options.credentials());
      this.start = start;
      long callerTimeout = options.timeout() == null ? Long.MAX_VALUE : options.timeout().toNanos();
      this.budget = Math.min(policyTimeoutNanos, callerTimeout);
    }

    long untilDeadline(long now) {
      return budget == Long.MAX_VALUE ? Long.MAX_VALUE : start + budget - now;
    }

    /** Whether the caller gave up on this call. */
    boolean isCancelled() {
      return options.cancellation().isCancelled();
    }

    Duration elapsed() {
      return Duration.ofNanos(time.nanoTime() - start);
    }

    void discard(R response, Outcome outcome) {
      if (response != null) {
        adapter.discard(response);
      } else if (outcome.failure() != null) {
        if (earlier == null) earlier = new ArrayList<>(2);
        earlier.add(outcome.failure());
      }
    }
  }

  /**
   * Asks the gate, then the breaker. Returns 0 when admitted, else how long to wait first.
   *
   * @throws AssignrException when the wait would pass the cap or the deadline, or the breaker is open
   */
  private long admit(Call<?> call, int attempt, long now) throws AssignrException {
    if (call.gate != null) {
      long wait = call.gate.tryAcquire(now, Math.min(capNanos, call.untilDeadline(now)));
      if (wait > 0) return waitOrGiveUp(call, attempt, now, wait);
      call.admitted = true;
    }
    if (breaker != null && !breaker.tryAcquirePermission()) {
      releaseGate(call);
      Decision.Stop stop = new Decision.Stop(StopReason.CIRCUIT_OPEN, Classification.SERVER_ERROR, null);
      Outcome last = call.last != null ? call.last
          : Outcome.failure(CallNotPermittedException.createCallNotPermittedException(breaker),
              Classification.SERVER_ERROR);
      listener.onGiveUp(call.request, attempt - 1, call.elapsed(), stop, last);
      throw Exceptions.circuitOpen(details(call, attempt - 1, stop, last, null),
          CallNotPermittedException.createCallNotPermittedException(breaker), call.earlier);
    }
    listener.onAttempt(call.request, attempt);
    return 0;
  }

  /**
   * A wait the gate asked for: returned when it fits the cap and the deadline.
   *
   * @throws AssignrException (a {@link RateLimitedException}) when it does not
   */
  private long waitOrGiveUp(Call<?> call, int attempt, long now, long wait) throws AssignrException {
    StopReason stop = wait > capNanos ? StopReason.WAIT_EXCEEDS_CAP
        : wait >= call.untilDeadline(now) ? StopReason.DEADLINE_EXCEEDED : null;
    if (stop != null) throw gaveUpWaiting(call, attempt, stop, wait);
    listener.onGateWait(call.request, attempt, Duration.ofNanos(wait));
    return wait;
  }

  private void releaseGate(Call<?> call) {
    if (call.admitted) {
      call.admitted = false;
      call.gate.release();
    }
  }

  /** Waits until admitted; returns the time of admission. */
  private long awaitGate(Call<?> call, int attempt, long now) throws IOException {
    for (long wait = admit(call, attempt, now); wait > 0; wait = admit(call, attempt, now)) {
      sleep(call, wait);
      now = time.nanoTime();
    }
    return now;
  }

  private void sleep(Call<?> call, long nanos) throws InterruptedIOException {
    try {
      time.sleep(nanos, call.options.cancellation());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw cancelled(call, "interrupted");
    }
    if (call.options.cancellation().isCancelled()) throw cancelled(call, "Canceled");
  }

  private InterruptedIOException cancelled(Call<?> call, String message) {
    InterruptedIOException e = new InterruptedIOException(message);
    if (call.earlier != null) call.earlier.forEach(e::addSuppressed);
    return e;
  }

  /** Gate and breaker bookkeeping, events, and the engine's decision. */
  private Decision afterAttempt(Call<?> call, int attempt, Outcome outcome, long attemptStart) {
    long now = time.nanoTime();
    if (call.admitted) {
      call.admitted = false;
      if (outcome.isResponse()) call.gate.onResponse(outcome.status(), outcome.rateLimit(), now);
      else call.gate.release();
    }
    if (breaker != null) record(outcome, now - attemptStart);
    call.last = outcome;
    listener.onOutcome(call.request, attempt, outcome);
    Decision decision = engine.decide(call.request, attempt, outcome, call.untilDeadline(now));
    if (decision instanceof Decision.Retry) {
      listener.onRetryScheduled(call.request, attempt, (Decision.Retry) decision);
    }
    return decision;
  }

  private void record(Outcome outcome, long nanos) {
    Classification cls = outcome.classification();
    if (cls.isServiceFailure()) {
      Throwable failure = outcome.failure() != null ? outcome.failure()
          : new ServerStatusFailure(outcome.status());
      breaker.onError(nanos, TimeUnit.NANOSECONDS, failure);
    } else if (cls == Classification.RATE_LIMITED || cls == Classification.CANCELLED) {
      breaker.releasePermission();
    } else {
      breaker.onSuccess(nanos, TimeUnit.NANOSECONDS);
    }
  }

  /** Recorded by the breaker for a 5xx response; never thrown to callers. */
  static final class ServerStatusFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ServerStatusFailure(int status) {
      super("HTTP " + status, null, false, false);
    }
  }

  private <R> R finish(Call<R> call, int attempts, Decision.Stop stop, Outcome outcome, R response)
      throws IOException {
    if (stop.succeeded()) return response;
    listener.onGiveUp(call.request, attempts, call.elapsed(), stop, outcome);
    if (!outcome.isResponse()) {
      if (outcome.classification() == Classification.CANCELLED) {
        Throwable failure = outcome.failure();
        if (failure instanceof InterruptedIOException) {
          if (call.earlier != null) call.earlier.forEach(failure::addSuppressed);
          throw (InterruptedIOException) failure;
        }
        InterruptedIOException e = cancelled(call, "Canceled");
        e.initCause(failure);
        throw e;
      }
      if (outcome.classification() == Classification.UNEXPECTED_FAILURE) {
        Throwable failure = outcome.failure();
        if (call.earlier != null) call.earlier.forEach(failure::addSuppressed);
        if (failure instanceof RuntimeException) throw (RuntimeException) failure;
        if (failure instanceof Error) throw (Error) failure;
      }
      throw Exceptions.forOutcome(details(call, attempts, stop, outcome, null), outcome.failure(), call.earlier);
    }
    if (!config.throwOnFailure()) return response;
    String excerpt = null;
    try {
      excerpt = call.adapter.bodyExcerpt(response, config.bodyExcerptChars());
    } finally {
      call.adapter.discard(response);
    }
    throw Exceptions.forOutcome(details(call, attempts, stop, outcome, excerpt), null, call.earlier);
  }

  private AssignrException gaveUpWaiting(Call<?> call, int attempt, StopReason reason, long wait) {
    Outcome last = call.last != null ? call.last
        : Outcome.failure(new IOException("not sent: the rate-limit gate is closed"), Classification.RATE_LIMITED);
    Decision.Stop stop = new Decision.Stop(reason, Classification.RATE_LIMITED,
        time.clock().instant().plusNanos(wait));
    listener.onGiveUp(call.request, attempt - 1, call.elapsed(), stop, last);
    FailureDetails details = details(call, attempt - 1, stop, last, null);
    return Exceptions.rateLimited(details, call.earlier);
  }

  private FailureDetails details(Call<?> call, int attempts, Decision.Stop stop, Outcome last, String excerpt) {
    return new FailureDetails(call.request, last.status(),
        stop.reason() == StopReason.CIRCUIT_OPEN ? Classification.SERVER_ERROR
            : stop.reason() == StopReason.WAIT_EXCEEDS_CAP || stop.reason() == StopReason.DEADLINE_EXCEEDED
                ? stop.classification() : last.classification(),
        last.rateLimit(), attempts, call.elapsed(), stop.reason(), stop.retryAt(), excerpt);
  }

  // ---------------------------------------------------------------------------------------------
  // The non-blocking loop: every wait is a scheduled task, every attempt a future.

  private final class AsyncCall<R> extends Call<R> {
    /**
     * Cancelling withdraws the pending wait and the attempt in flight before the caller's
     * dependents hear of it, and once more afterwards, in case a wait was being scheduled.
     */
    final CompletableFuture<R> result = new CompletableFuture<>() {
      @Override
      public boolean cancel(boolean mayInterruptIfRunning) {
        withdraw();
        return super.cancel(mayInterruptIfRunning);
      }
    };
    final AsyncAttempt<R> attempt;
    volatile TimeSource.Cancellable pendingWait;
    volatile CompletableFuture<R> inFlight;

    AsyncCall(RequestInfo request, CallOptions options, ResponseAdapter<R> adapter, AsyncAttempt<R> attempt) {
      super(request, options, adapter, time.nanoTime());
      this.attempt = attempt;
      result.whenComplete((r, e) -> {
        if (result.isCancelled()) withdraw();
      });
    }

    private void withdraw() {
      TimeSource.Cancellable wait = pendingWait;
      if (wait != null) wait.cancel();
      CompletableFuture<R> attemptFuture = inFlight;
      if (attemptFuture != null) attemptFuture.cancel(true);
    }

    @Override
    boolean isCancelled() {
      return result.isCancelled() || super.isCancelled();
    }

    void next(int n) {
      pendingWait = null;
      if (result.isDone()) return;
      if (isCancelled()) {
        fail(cancelled(this, "Canceled"));
        return;
      }
      long attemptStart = time.nanoTime();
      long wait;
      try {
        wait = admit(this, n, attemptStart);
      } catch (AssignrException e) {
        fail(e);
        return;
      }
      if (wait > 0) {
        schedule(() -> next(n), wait);
        return;
      }
      CompletableFuture<R> future;
      try {
        future = attempt.call(new Ctx(n, this));
        if (future == null) throw new NullPointerException("AsyncAttempt returned null");
      } catch (Throwable t) {
        future = CompletableFuture.failedFuture(t);
      }
      inFlight = future;
      if (result.isCancelled()) future.cancel(true);
      future.whenComplete((response, error) -> completed(n, attemptStart, response, error));
    }

    private void completed(int n, long attemptStart, R response, Throwable error) {
      inFlight = null;
      Outcome outcome;
      try {
        outcome = error == null
            ? Outcome.response(adapter.status(response), adapter.headers(response))
            : Outcome.failure(unwrap(error), FailureClassifier.classify(unwrap(error), isCancelled()));
      } catch (RuntimeException e) {
        outcome = Outcome.failure(e, Classification.IO_FAILURE);
      }
      Decision decision = afterAttempt(this, n, outcome, attemptStart);
      if (result.isDone()) {
        if (response != null) adapter.discard(response);
        return;
      }
      if (decision instanceof Decision.Retry) {
        discard(response, outcome);
        schedule(() -> next(n + 1), ((Decision.Retry) decision).delay().toNanos());
        return;
      }
      try {
        R value = finish(this, n, (Decision.Stop) decision, outcome, response);
        if (!result.complete(value) && value != null) adapter.discard(value);
      } catch (IOException | RuntimeException e) {
        fail(e);
      }
    }

    private void schedule(Runnable task, long nanos) {
      pendingWait = time.schedule(task, nanos);
      if (result.isCancelled()) pendingWait.cancel();
    }

    private void fail(Throwable t) {
      result.completeExceptionally(t);
    }

    private Throwable unwrap(Throwable t) {
      while (t instanceof CompletionException && t.getCause() != null) t = t.getCause();
      return t;
    }
  }
}
