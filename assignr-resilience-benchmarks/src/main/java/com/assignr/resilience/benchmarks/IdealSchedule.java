package com.assignr.resilience.benchmarks;

import com.assignr.resilience.testkit.RateLimitRule;
import java.time.Instant;
import java.util.List;

/**
 * The least time fixed, aligned rate-limit windows allow for a number of requests: a client that
 * knew the windows exactly and sent every request the instant it could, with zero latency.
 *
 * <p>Worked example for the race's rules (60 per 20 s and 150 per 60 s) from the start of a
 * minute: 60 go at 0 s, 60 more at 20 s, only 30 at 40 s (the 60 s rule binds: 150 − 120), then
 * the minute starts over. So 280 requests need until 100 s, when the 270th–300th may go.
 */
final class IdealSchedule {
  private IdealSchedule() {}

  /**
   * Seconds from {@code start} until the {@code requests}-th request may be sent.
   *
   * @param rules windows aligned to multiples of their period since the epoch, as Assignr's
   * @param start the instant the first request could be sent
   */
  static double idealSeconds(List<RateLimitRule> rules, Instant start, int requests) {
    if (rules.isEmpty() || requests <= 0) return 0;
    Walk walk = new Walk(rules, start);
    for (long sent = 0; ; walk.advance()) {
      long admissible = walk.admissible();
      if (requests - sent <= admissible) return walk.secondsSinceStart();
      sent += walk.spend(admissible);
    }
  }

  /** How many window boundaries (of any rule, counted once per instant) lie in (start, start + seconds]. */
  static int windowsCrossed(List<RateLimitRule> rules, Instant start, double seconds) {
    long from = start.toEpochMilli();
    long to = from + (long) Math.ceil(seconds * 1000);
    long shortest = rules.stream().mapToLong(r -> r.period().toMillis()).min().orElse(Long.MAX_VALUE);
    int crossed = 0;
    for (long t = from - Math.floorMod(from, shortest) + shortest; t <= to; t += shortest) crossed++;
    return crossed;
  }

  /**
   * The most requests the windows allow by each moment, as step points {@code [seconds, total]}
   * from {@code start} to {@code untilSeconds}: the ideal client's curve, for the chart.
   */
  static List<double[]> capacityCurve(List<RateLimitRule> rules, Instant start, double untilSeconds) {
    List<double[]> points = new java.util.ArrayList<>();
    points.add(new double[] {0, 0});
    long total = 0;
    if (!rules.isEmpty()) {
      for (Walk walk = new Walk(rules, start); walk.secondsSinceStart() <= untilSeconds; walk.advance()) {
        double t = walk.secondsSinceStart();
        points.add(new double[] {t, total});
        total += walk.spend(walk.admissible());
        points.add(new double[] {t, total});
      }
    }
    points.add(new double[] {untilSeconds, total});
    return points;
  }

  /**
   * The windows seen from one instant to the next boundary: how many requests they still admit
   * now, and where the next boundary is. Shared by the ideal time and the chart's capacity curve.
   */
  private static final class Walk {
    private final List<RateLimitRule> rules;
    private final long startMillis;
    private final long[] periods;
    private final long[] windowStarts;
    private final long[] counts;
    private long now;

    Walk(List<RateLimitRule> rules, Instant start) {
      this.rules = rules;
      this.startMillis = start.toEpochMilli();
      int n = rules.size();
      periods = new long[n];
      windowStarts = new long[n];
      counts = new long[n];
      for (int i = 0; i < n; i++) {
        periods[i] = rules.get(i).period().toMillis();
        windowStarts[i] = startMillis - Math.floorMod(startMillis, periods[i]);
      }
      now = startMillis;
    }

    double secondsSinceStart() {
      return (now - startMillis) / 1000.0;
    }

    /** Requests every rule still admits before the next boundary. */
    long admissible() {
      long admissible = Long.MAX_VALUE;
      for (int i = 0; i < periods.length; i++) admissible = Math.min(admissible, rules.get(i).limit() - counts[i]);
      return admissible;
    }

    long spend(long requests) {
      for (int i = 0; i < counts.length; i++) counts[i] += requests;
      return requests;
    }

    /** Moves to the next boundary of any rule, starting the windows that begin there afresh. */
    void advance() {
      long next = Long.MAX_VALUE;
      for (int i = 0; i < periods.length; i++) next = Math.min(next, windowStarts[i] + periods[i]);
      now = next;
      for (int i = 0; i < periods.length; i++) {
        long windowStart = now - Math.floorMod(now, periods[i]);
        if (windowStart != windowStarts[i]) {
          windowStarts[i] = windowStart;
          counts[i] = 0;
        }
      }
    }
  }
}
