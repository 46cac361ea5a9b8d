package com.assignr.resilience;

import java.time.Duration;

/**
 * Hears what the library does, for metrics and logs. Every method has a no-op default, so an
 * implementation overrides only what it needs. Events carry no headers and no query strings:
 * nothing that could hold a credential. Methods are called on the calling or scheduling thread and
 * must be fast and must not throw.
 */
public interface RetryListener {
  /** A listener that ignores everything. */
  RetryListener NONE = new RetryListener() {};

  /** Attempt number {@code attempt} (1-based) is about to be sent. */
  default void onAttempt(RequestInfo request, int attempt) {}

  /** An attempt ended with {@code outcome}. */
  default void onOutcome(RequestInfo request, int attempt, Outcome outcome) {}

  /** The engine decided to retry after {@code decision.delay()}. */
  default void onRetryScheduled(RequestInfo request, int attempt, Decision.Retry decision) {}

  /** A caller is about to wait {@code wait} in the rate-limit gate before its attempt. */
  default void onGateWait(RequestInfo request, int attempt, Duration wait) {}

  /** A response carried rate-limit headers (every Assignr response does). */
  default void onRateLimitObserved(String quotaKey, RateLimitInfo info) {}

  /** The gate for {@code quotaKey} closed for {@code closedFor}. */
  default void onGateClosed(String quotaKey, Duration closedFor, String reason) {}

  /** The gate for {@code quotaKey} opened again. */
  default void onGateOpened(String quotaKey) {}

  /**
   * The fleet-wide store of {@code quotaKey} stopped answering: this instance now uses its own
   * local gate, seeded with the last shared state, until the store answers again.
   */
  default void onStoreDegraded(String quotaKey, Throwable cause) {}

  /** The fleet-wide store of {@code quotaKey} answers again: the shared state applies again. */
  default void onStoreRecovered(String quotaKey) {}

  /**
   * A new access token was obtained for {@code quotaKey}'s credentials (never the token itself).
   *
   * @param quotaKey the quota the credentials draw on
   * @param validFor how long the new token is valid
   */
  default void onTokenRefreshed(String quotaKey, Duration validFor) {}

  /** Obtaining a token failed; a still-valid token, if any, stays in use. */
  default void onTokenRefreshFailed(String quotaKey, Throwable failure) {}

  /**
   * The call ended without success: the engine stopped at {@code stop} after {@code attempts}
   * attempts and {@code elapsed}, on {@code last}.
   */
  default void onGiveUp(RequestInfo request, int attempts, Duration elapsed, Decision.Stop stop, Outcome last) {}

  /** A listener that forwards every event to each of {@code listeners} in order. */
  static RetryListener composite(RetryListener... listeners) {
    RetryListener[] all = listeners.clone();
    for (RetryListener l : all) java.util.Objects.requireNonNull(l, "listener");
    if (all.length == 1) return all[0];
    return new RetryListener() {
      @Override public void onAttempt(RequestInfo r, int a) { for (RetryListener l : all) l.onAttempt(r, a); }
      @Override public void onOutcome(RequestInfo r, int a, Outcome o) { for (RetryListener l : all) l.onOutcome(r, a, o); }
      @Override public void onRetryScheduled(RequestInfo r, int a, Decision.Retry d) { for (RetryListener l : all) l.onRetryScheduled(r, a, d); }
      @Override public void onGateWait(RequestInfo r, int a, Duration w) { for (RetryListener l : all) l.onGateWait(r, a, w); }
      @Override public void onRateLimitObserved(String k, RateLimitInfo i) { for (RetryListener l : all) l.onRateLimitObserved(k, i); }
      @Override public void onGateClosed(String k, Duration c, String why) { for (RetryListener l : all) l.onGateClosed(k, c, why); }
      @Override public void onGateOpened(String k) { for (RetryListener l : all) l.onGateOpened(k); }
      @Override public void onStoreDegraded(String k, Throwable c) { for (RetryListener l : all) l.onStoreDegraded(k, c); }
      @Override public void onStoreRecovered(String k) { for (RetryListener l : all) l.onStoreRecovered(k); }
      @Override public void onTokenRefreshed(String k, Duration v) { for (RetryListener l : all) l.onTokenRefreshed(k, v); }
      @Override public void onTokenRefreshFailed(String k, Throwable f) { for (RetryListener l : all) l.onTokenRefreshFailed(k, f); }
      @Override public void onGiveUp(RequestInfo r, int a, Duration e, Decision.Stop s, Outcome o) { for (RetryListener l : all) l.onGiveUp(r, a, e, s, o); }
    };
  }
}
