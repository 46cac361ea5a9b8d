package com.assignr.resilience.testkit;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One of Assignr's fixed-window rate-limit rules: at most {@code limit} requests in each window of
 * {@code period}, windows aligned to multiples of the period since the epoch.
 *
 * <p>Assignr applies {@linkplain #assignrDefaults() three at once}. Tests and benchmarks compress
 * time with shorter rules, e.g. {@code RateLimitRule.of(20, Duration.ofSeconds(2))}. Periods are
 * whole seconds because {@code X-Ratelimit-Period} and the reset headers are in seconds.
 *
 * @param limit requests admitted per window, at least 1
 * @param period window length, a whole number of seconds, at least one second
 */
public record RateLimitRule(long limit, Duration period) {

  /** Validates the rule. */
  public RateLimitRule {
    Objects.requireNonNull(period, "period");
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, was " + limit);
    }
    if (period.compareTo(Duration.ofSeconds(1)) < 0 || period.toMillis() % 1000 != 0) {
      throw new IllegalArgumentException(
          "period must be a whole number of seconds, at least 1 s, was " + period);
    }
  }

  /**
   * A rule of {@code limit} requests per {@code period}.
   *
   * @param limit requests admitted per window
   * @param period window length in whole seconds
   * @return the rule
   */
  public static RateLimitRule of(long limit, Duration period) {
    return new RateLimitRule(limit, period);
  }

  /**
   * Assignr's documented rules: 180 per 60 s, 500 per 300 s, 5000 per 3600 s.
   *
   * @return the three rules, shortest period first
   */
  public static List<RateLimitRule> assignrDefaults() {
    return List.of(
        of(180, Duration.ofSeconds(60)),
        of(500, Duration.ofSeconds(300)),
        of(5000, Duration.ofSeconds(3600)));
  }
}
