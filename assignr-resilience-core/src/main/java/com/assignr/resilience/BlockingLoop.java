package com.assignr.resilience;

import java.io.IOException;
import java.io.InterruptedIOException;

/** The blocking loop: every wait holds the calling thread, through the {@link TimeSource} only. */
final class BlockingLoop {
  private BlockingLoop() {}

  static <R> R execute(Settlement s, RequestInfo request, CallOptions options,
      RetryExecutor.Attempt<R> attempt, ResponseAdapter<R> adapter) throws IOException {
    RateLimitGate gate = s.open(request, options);
    CallState<R> call = new CallState<>(s, request, options, adapter, gate, s.time.nanoTime());
    long now = call.start;
    for (call.attempt = 1; ; call.attempt++) {
      for (long wait = s.admit(call, now); wait > 0; wait = s.admit(call, now)) {
        sleep(s, call, wait);
        now = s.time.nanoTime();
      }
      R response = null;
      Throwable failure = null;
      try {
        response = attempt.call(call);
      } catch (IOException | RuntimeException e) {
        failure = e;
      } catch (Error e) {
        s.abandon(call);
        throw e;
      }
      Decision decision = s.conclude(call, response, failure);
      Outcome outcome = call.last;
      if (decision instanceof Decision.Retry) {
        long delay = s.delayOf(call, (Decision.Retry) decision);
        call.discard(call.response, outcome);
        call.response = null;
        sleep(s, call, delay);
        now = s.time.nanoTime();
        continue;
      }
      R last = call.response;
      call.response = null;
      return GiveUps.finish(s, call, (Decision.Stop) decision, outcome, last);
    }
  }

  private static void sleep(Settlement s, CallState<?> call, long nanos) throws InterruptedIOException {
    try {
      s.time.sleep(nanos, call.options.cancellation());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw GiveUps.cancelled(call, "interrupted");
    }
    if (call.isCancelled()) throw GiveUps.cancelled(call, "Canceled");
  }
}
