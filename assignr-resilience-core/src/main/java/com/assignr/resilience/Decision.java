package com.assignr.resilience;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/** The engine's answer for one attempt: retry after a delay, or stop. */
public sealed interface Decision permits Decision.Retry, Decision.Stop {

  /**
   * Retry after {@code delay}. Callers MUST wait at least this long.
   *
   * @param delay how long to wait before the next attempt
   * @param cause the classification of the outcome being retried
   * @param serverDirected whether the delay comes from the server's headers (rate limit or
   *     Retry-After) rather than from backoff
   */
  record Retry(Duration delay, Classification cause, boolean serverDirected) implements Decision {
    public Retry {
      Objects.requireNonNull(delay, "delay");
      Objects.requireNonNull(cause, "cause");
    }
  }

  /**
   * Stop and return (or throw for) the last outcome.
   *
   * @param reason why
   * @param classification the classification of the last outcome
   * @param retryAt when a retry would succeed, if the server said (rate limits, Retry-After);
   *     null otherwise
   */
  record Stop(StopReason reason, Classification classification, Instant retryAt) implements Decision {
    public Stop {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(classification, "classification");
    }

    public boolean succeeded() {
      return reason == StopReason.SUCCEEDED;
    }
  }
}
