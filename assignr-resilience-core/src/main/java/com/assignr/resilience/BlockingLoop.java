package com.assignr.resilience;

import com.assignr.resilience.spi.Admission;
import com.assignr.resilience.spi.CallObservation;
import com.assignr.resilience.spi.CallOptions;
import com.assignr.resilience.spi.Permit;
import com.assignr.resilience.spi.RateLimitGate;
import com.assignr.resilience.spi.ResponseAdapter;
import com.assignr.resilience.spi.RetryExecutor.Attempt;
import java.io.IOException;
import java.io.InterruptedIOException;

/** The blocking loop: every wait holds the calling thread, through the {@link TimeSource} only. */
final class BlockingLoop {
  private BlockingLoop() {}

  static <R> R execute(Settlement s, RequestInfo request, CallOptions options,
      Attempt<R> attempt, ResponseAdapter<R> adapter) throws IOException {
    RateLimitGate gate = s.open(request, options);
    CallObservation observation = s.observer.start(request, s.time);
    long start = s.time.nanoTime();
    if (s.breaker != null || s.addsToken(options)) {
      CallState<R> call = new CallState<>(s, request, options, adapter, gate, start, observation);
      return loop(s, call, attempt, start, null, null, false);
    }
    long budget = s.budgetNanos(options);
    Admission answer = gate == null ? null : s.askGate(gate, start, budget);
    if (answer instanceof Admission.Wait) {
      CallState<R> call = new CallState<>(s, request, options, adapter, gate, start, observation);
      call.attempt = 1;
      sleep(s, call, s.gateWait(call, ((Admission.Wait) answer).nanos(), call.untilDeadline(start)), 0);
      return loop(s, call, attempt, s.time.nanoTime(), null, null, false);
    }

    // The common case, kept free of per-call state: admitted at once, no breaker, answered 2xx.
    Permit permit = (Permit) answer;
    FirstAttempt<R> first = new FirstAttempt<>(s, request, options, adapter, gate, permit, start, budget, null,
        observation);
    s.listener.onAttempt(request, 1);
    R response = null;
    Throwable failure = null;
    try (CallObservation.Scope scope = observation.attemptStarted(1)) {
      response = attempt.call(first);
    } catch (IOException | RuntimeException e) {
      failure = e;
    } catch (Error e) {
      s.abandon(first.promote(), e);
      throw e;
    }
    if (failure == null && !first.promoted() && s.settledAsSuccess(request, permit, adapter, response, observation)) {
      return response;
    }
    return loop(s, first.promote(), attempt, start, response, failure, true);
  }

  /**
   * The loop proper, from attempt {@code call.attempt} (or attempt 1 at {@code now}); when {@code
   * made}, that attempt has been made already, with {@code response} or {@code failure}, and is
   * concluded first.
   */
  private static <R> R loop(Settlement s, CallState<R> call, Attempt<R> attempt, long now,
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
        try (CallObservation.Scope scope = call.observation.attemptStarted(call.attempt)) {
          response = attempt.call(call);
        } catch (IOException | RuntimeException e) {
          failure = e;
        } catch (Error e) {
          s.abandon(call, e);
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
