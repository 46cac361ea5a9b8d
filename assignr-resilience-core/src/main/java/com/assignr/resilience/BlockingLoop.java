package com.assignr.resilience;

import java.io.IOException;
import java.io.InterruptedIOException;

/** The blocking loop: every wait holds the calling thread, through the {@link TimeSource} only. */
final class BlockingLoop {
  private BlockingLoop() {}

  static <R> R execute(Settlement s, RequestInfo request, CallOptions options,
      RetryExecutor.Attempt<R> attempt, ResponseAdapter<R> adapter) throws IOException {
    RateLimitGate gate = s.open(request, options);
    long start = s.time.nanoTime();
    if (s.breaker != null || s.addsToken(options)) {
      CallState<R> call = new CallState<>(s, request, options, adapter, gate, start);
      return loop(s, call, attempt, start, null, null, false);
    }
    long budget = s.budgetNanos(options);
    long wait = gate == null ? 0
        : gate.tryAcquire(start, s.engine.gateWaitLimit(budget == Long.MAX_VALUE ? Long.MAX_VALUE : budget));
    if (wait != 0) {
      CallState<R> call = new CallState<>(s, request, options, adapter, gate, start);
      call.attempt = 1;
      sleep(s, call, s.gateWait(call, wait, call.untilDeadline(start)), 0);
      return loop(s, call, attempt, s.time.nanoTime(), null, null, false);
    }

    // The common case, kept free of per-call state: admitted at once, no breaker, answered 2xx.
    FirstAttempt<R> first = new FirstAttempt<>(s, request, options, adapter, gate, start, budget, null);
    s.listener.onAttempt(request, 1);
    R response = null;
    Throwable failure = null;
    try {
      response = attempt.call(first);
    } catch (IOException | RuntimeException e) {
      failure = e;
    } catch (Error e) {
      s.abandon(first.promote());
      throw e;
    }
    if (failure == null && !first.promoted() && settledAsSuccess(s, request, gate, adapter, response)) {
      return response;
    }
    return loop(s, first.promote(), attempt, start, response, failure, true);
  }

  /**
   * The settlement of a first attempt that answered 2xx, as {@link Settlement#settle} would do
   * it; false for anything else, which the loop then settles. The outcome never leaves this
   * method, so escape analysis keeps it off the heap.
   */
  private static <R> boolean settledAsSuccess(Settlement s, RequestInfo request, RateLimitGate gate,
      ResponseAdapter<R> adapter, R response) {
    Outcome outcome;
    try {
      outcome = s.outcomeOf(adapter, response);
    } catch (RuntimeException e) {
      return false; // the loop's settlement reads it again and discards it
    }
    if (outcome.classification() != Classification.SUCCESS) return false;
    if (gate != null) gate.onResponse(outcome.status(), outcome.rateLimit(), s.time.nanoTime());
    s.listener.onOutcome(request, 1, outcome);
    return true;
  }

  /**
   * The loop proper, from attempt {@code call.attempt} (or attempt 1 at {@code now}); when {@code
   * made}, that attempt has been made already, with {@code response} or {@code failure}, and is
   * concluded first.
   */
  private static <R> R loop(Settlement s, CallState<R> call, RetryExecutor.Attempt<R> attempt, long now,
      R response, Throwable failure, boolean made) throws IOException {
    if (call.attempt == 0) call.attempt = 1;
    for (; ; call.attempt++) {
      if (!made) {
        call.addedAuthorization = s.tokenFor(call, now);
        for (long wait = s.admit(call, now); wait > 0; wait = s.admit(call, now)) {
          sleep(s, call, wait, call.attempt - 1);
          now = s.time.nanoTime();
        }
        response = null;
        failure = null;
        try {
          response = attempt.call(call);
        } catch (IOException | RuntimeException e) {
          failure = e;
        } catch (Error e) {
          s.abandon(call);
          throw e;
        }
      }
      made = false;
      Decision decision = s.conclude(call, response, failure);
      if (decision instanceof Decision.Retry) {
        long delay = s.delayOf(call, (Decision.Retry) decision);
        call.discard(call.response, call.last);
        call.response = null;
        sleep(s, call, delay, call.attempt);
        now = s.time.nanoTime();
        continue;
      }
      R last = call.response;
      call.response = null;
      return GiveUps.finish(s, call, (Decision.Stop) decision, call.last, last);
    }
  }

  /** Waits {@code nanos} before the next admission or attempt, {@code attempts} made so far. */
  private static void sleep(Settlement s, CallState<?> call, long nanos, int attempts)
      throws InterruptedIOException {
    try {
      s.time.sleep(nanos, call.options.cancellation());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw GiveUps.cancelled(s, call, attempts, "interrupted");
    }
    if (call.isCancelled()) throw GiveUps.cancelled(s, call, attempts, "Canceled");
  }
}
