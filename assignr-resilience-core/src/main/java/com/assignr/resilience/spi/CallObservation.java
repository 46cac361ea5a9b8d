package com.assignr.resilience.spi;

import com.assignr.resilience.Decision;
import com.assignr.resilience.Outcome;
import java.time.Duration;
import java.util.Map;

/**
 * One call as a tracer sees it, from its start ({@link CallObserver#start}) to {@link #ended}: its
 * attempts, each with the scope it is sent in, and the waits between them with their cause. The
 * executor calls these methods in that order, one call's never concurrently (an async call may
 * move between threads from one to the next). Every method has a no-op default; an implementation
 * must be fast and must not throw. Nothing here carries a header or a query: no credential.
 */
public interface CallObservation {

  /** Observes nothing. */
  CallObservation NONE = new CallObservation() {};

  /**
   * Attempt {@code number} was admitted (gate, breaker, token) and is about to be sent. The
   * returned scope is open exactly while the adapter sends it: for a blocking call until the
   * response (or failure) is returned, for an async one until the attempt's future is made. An
   * implementation makes the attempt's trace context current in it, so that the HTTP client's own
   * instrumentation picks it up as its parent.
   *
   * @param number 1 for the first attempt; the resend count is {@code number - 1}
   * @return the scope, closed by the executor on the thread that opened it
   */
  default Scope attemptStarted(int number) {
    return Scope.NONE;
  }

  /**
   * The headers the adapter adds to the attempt being sent, for trace propagation ({@code
   * traceparent} and the like); read by adapters through {@link AttemptContext#propagationHeaders}.
   *
   * @return header names and values; empty when the client's own instrumentation propagates
   */
  default Map<String, String> propagationHeaders() {
    return Map.of();
  }

  /**
   * The attempt started last ended: its response's headers arrived and it was settled, or it
   * failed. Called once per attempt started.
   *
   * @param number the attempt's number
   * @param outcome its status (and rate-limit headers), or its failure
   */
  default void attemptEnded(int number, Outcome outcome) {}

  /**
   * The call is about to wait in the rate-limit gate before attempt {@code nextAttempt}: the gate
   * is closed or its budget is spent (another call's 429 or the headers' {@code Remaining}).
   *
   * @param nextAttempt the attempt that waits
   * @param gate the gate: its {@link RateLimitGate#quotaKey()} and {@link RateLimitGate#state()}
   *     (the binding window) say which quota and which window
   * @param wait how long
   */
  default void gateWait(int nextAttempt, RateLimitGate gate, Duration wait) {}

  /**
   * The engine decided to retry after attempt {@code attempt}: the call backs off (or waits for a
   * 429's window to reset) for {@code retry.delay()}.
   *
   * @param attempt the attempt that failed
   * @param after how it ended
   * @param retry the decision: its delay and cause
   */
  default void retryScheduled(int attempt, Outcome after, Decision.Retry retry) {}

  /**
   * The library obtained the access token for attempt {@code nextAttempt} (a cached one at once,
   * or after a refresh it waited for). Only called when the library manages the credentials.
   *
   * @param nextAttempt the attempt the token is for
   * @param waited how long the call waited for it
   */
  default void tokenObtained(int nextAttempt, Duration waited) {}

  /**
   * The call ended: it succeeded, or gave up (after its last attempt, or while it waited, or
   * cancelled). Called once per call.
   *
   * @param attempts the attempts sent
   * @param stop why it stopped ({@link Decision.Stop#succeeded()} for a success)
   * @param last the last attempt's outcome, or what ended the call before one was sent
   */
  default void ended(int attempts, Decision.Stop stop, Outcome last) {}

  /** What {@link #attemptStarted} opens: closing it leaves the attempt's trace context. */
  @FunctionalInterface
  interface Scope extends AutoCloseable {
    /** Opens nothing. */
    Scope NONE = () -> {};

    /** Leaves the scope; never throws. */
    @Override
    void close();
  }
}
