package com.assignr.resilience.internal;

import java.time.Duration;

/**
 * Exponential backoff with jitter, the one formula behind every "wait longer each time": the
 * engine's retries after a 503, 5xx or I/O failure, the token refresher's retries after a failed
 * refresh, and the Redis gate's probes while Redis is away. Immutable and pure: the caller draws
 * the random number (from its own seam), so a table pins every result. Not for users.
 *
 * <p>For attempt {@code n} (from 1):
 *
 * <pre>
 *   exponential = base × multiplier^(n−1)
 *   capped      = min(exponential, cap)
 *   delay       = capped × (1 − jitter × draw)      draw in [0, 1], so delay in [capped × (1 − jitter), capped]
 * </pre>
 *
 * <p>With the engine's defaults (base 500 ms, multiplier 2, cap 30 s, jitter 0.5) attempts 1, 2,
 * 3, 4 wait 500, 1000, 2000, 4000 ms at draw 0 and 250, 500, 1000, 2000 ms at draw 1; from attempt
 * 7 on every wait is the 30 s cap, less up to half. The token refresher uses base 1 s, cap 1 min,
 * multiplier 2, jitter 0.5; the Redis probes 100 ms, the probe interval, 2 and no jitter. Jitter
 * only ever shortens a wait, so the cap is a true bound. A draw outside [0, 1] (a broken random
 * source) is clamped, NaN to 0, so that no draw makes a wait negative or longer than the cap. The
 * result is truncated to whole nanoseconds.
 */
public final class Backoff {
  private final double baseNanos;
  private final double capNanos;
  private final double multiplier;
  private final double jitter;

  private Backoff(double baseNanos, double capNanos, double multiplier, double jitter) {
    this.baseNanos = baseNanos;
    this.capNanos = capNanos;
    this.multiplier = multiplier;
    this.jitter = jitter;
  }

  /**
   * A backoff. The callers' builders validate the settings and name them in their own terms; this
   * only refuses what would make the formula meaningless.
   *
   * @param base the first delay; positive
   * @param cap the longest delay; at least {@code base}
   * @param multiplier the growth per attempt; at least 1
   * @param jitter the fraction of each delay that is randomised away; within [0, 1]
   * @return the backoff
   * @throws IllegalArgumentException for settings outside those ranges
   */
  public static Backoff of(Duration base, Duration cap, double multiplier, double jitter) {
    return ofNanos(base.toNanos(), cap.toNanos(), multiplier, jitter);
  }

  /**
   * As {@link #of}, in nanoseconds.
   *
   * @param baseNanos the first delay; positive
   * @param capNanos the longest delay; at least {@code baseNanos}
   * @param multiplier the growth per attempt; at least 1
   * @param jitter the fraction of each delay that is randomised away; within [0, 1]
   * @return the backoff
   * @throws IllegalArgumentException for settings outside those ranges
   */
  public static Backoff ofNanos(long baseNanos, long capNanos, double multiplier, double jitter) {
    if (baseNanos <= 0 || capNanos < baseNanos || !(multiplier >= 1) || Double.isInfinite(multiplier)
        || !(jitter >= 0 && jitter <= 1)) {
      throw new IllegalArgumentException("backoff needs 0 < base <= cap, 1 <= multiplier < infinity"
          + " and 0 <= jitter <= 1, but was base=" + baseNanos + "ns, cap=" + capNanos + "ns, multiplier="
          + multiplier + ", jitter=" + jitter);
    }
    return new Backoff(baseNanos, capNanos, multiplier, jitter);
  }

  /**
   * The delay before attempt {@code attempt}.
   *
   * @param attempt the attempt the delay precedes, from 1; lower values count as 1
   * @param draw a uniform draw in [0, 1] (0 gives the longest delay); clamped, NaN to 0
   * @return the delay in nanoseconds, within [capped × (1 − jitter), capped]
   */
  public long delayNanos(int attempt, double draw) {
    // pow overflows to infinity for large attempts, and min() then picks the cap.
    double exponential = baseNanos * Math.pow(multiplier, Math.max(0, attempt - 1));
    double capped = Math.min(exponential, capNanos);
    double r = Double.isNaN(draw) ? 0 : Math.max(0, Math.min(1, draw));
    return (long) (capped * (1.0 - jitter * r));
  }

  @Override
  public String toString() {
    return "Backoff{base=" + Duration.ofNanos((long) baseNanos) + ", cap=" + Duration.ofNanos((long) capNanos)
        + ", multiplier=" + multiplier + ", jitter=" + jitter + '}';
  }
}
