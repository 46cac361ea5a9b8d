package com.assignr.resilience;

import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs the library's events through SLF4J: retries and gate closures at INFO (they are what an
 * operator wants to see when Assignr throttles), give-ups at WARN, attempts and rate-limit
 * observations at DEBUG/TRACE. Only methods, hosts, paths, statuses and durations are logged;
 * never headers, query strings or bodies, so no {@code Authorization} value or token can appear.
 */
public final class Slf4jRetryListener implements RetryListener {
  private final Logger log;

  private Slf4jRetryListener(Logger log) {
    this.log = Objects.requireNonNull(log, "log");
  }

  /** Logs to the logger {@code com.assignr.resilience}. */
  public static Slf4jRetryListener create() {
    return new Slf4jRetryListener(LoggerFactory.getLogger("com.assignr.resilience"));
  }

  /** Logs to {@code logger}. */
  public static Slf4jRetryListener create(Logger logger) {
    return new Slf4jRetryListener(logger);
  }

  @Override
  public void onAttempt(RequestInfo request, int attempt) {
    if (log.isTraceEnabled()) log.trace("{} attempt {}", request, attempt);
  }

  @Override
  public void onOutcome(RequestInfo request, int attempt, Outcome outcome) {
    if (log.isDebugEnabled()) log.debug("{} attempt {} -> {}", request, attempt, outcome);
  }

  @Override
  public void onRetryScheduled(RequestInfo request, int attempt, Decision.Retry decision) {
    if (log.isInfoEnabled()) {
      log.info("{} attempt {} got {}; retrying in {} ms{}", request, attempt, decision.cause(),
          decision.delay().toMillis(), decision.serverDirected() ? " (as the server directed)" : "");
    }
  }

  @Override
  public void onGateWait(RequestInfo request, int attempt, Duration wait) {
    if (log.isDebugEnabled()) log.debug("{} waits {} ms in the rate-limit gate", request, wait.toMillis());
  }

  @Override
  public void onRateLimitObserved(String quotaKey, RateLimitInfo info) {
    if (log.isTraceEnabled()) log.trace("{} {}", quotaKey, info);
  }

  @Override
  public void onGateClosed(String quotaKey, Duration closedFor, String reason) {
    if (log.isInfoEnabled()) log.info("rate-limit gate {} closed for {} ms: {}", quotaKey, closedFor.toMillis(), reason);
  }

  @Override
  public void onGateOpened(String quotaKey) {
    if (log.isDebugEnabled()) log.debug("rate-limit gate {} open", quotaKey);
  }

  @Override
  public void onStoreDegraded(String quotaKey, Throwable cause) {
    if (log.isWarnEnabled()) {
      log.warn("rate-limit store for {} is not answering ({}); this instance uses its local gate until it does",
          quotaKey, cause == null ? "no cause" : cause.getClass().getSimpleName());
    }
  }

  @Override
  public void onStoreRecovered(String quotaKey) {
    if (log.isInfoEnabled()) log.info("rate-limit store for {} answers again; the fleet's gate applies", quotaKey);
  }

  @Override
  public void onTokenRefreshed(String quotaKey, Duration validFor) {
    if (log.isDebugEnabled()) log.debug("new access token for {}, valid for {} s", quotaKey, validFor.toSeconds());
  }

  /** The failure's message is the library's own (token endpoints' answers are reduced to codes). */
  @Override
  public void onTokenRefreshFailed(String quotaKey, Throwable failure) {
    if (log.isWarnEnabled()) log.warn("access token for {} could not be obtained: {}", quotaKey, failure.toString());
  }

  @Override
  public void onGiveUp(RequestInfo request, int attempts, Duration elapsed, Decision.Stop stop, Outcome last) {
    if (stop.reason() == StopReason.NOT_RETRYABLE && last.isResponse()) {
      if (log.isDebugEnabled()) log.debug("{} -> {} (not retryable)", request, last);
      return;
    }
    if (stop.reason() == StopReason.CANCELLED) {
      // The caller's own decision (an interrupt, a cancelled call or future, a deadline): no news to it.
      if (log.isDebugEnabled()) log.debug("{} cancelled after {} attempt(s) in {} ms", request, attempts, elapsed.toMillis());
      return;
    }
    if (log.isWarnEnabled()) {
      log.warn("{} gave up after {} attempt(s) in {} ms: {}; last outcome {}{}", request, attempts,
          elapsed.toMillis(), stop.reason().description(), last,
          stop.retryAt() == null ? "" : "; a retry would succeed at " + stop.retryAt());
    }
  }
}
