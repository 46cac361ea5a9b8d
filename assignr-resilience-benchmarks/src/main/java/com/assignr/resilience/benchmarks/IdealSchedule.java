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
    long startMillis = start.toEpochMilli();
    int n = rules.size();
    long[] periods = new long[n];
    long[] windowStarts = new long[n];
    long[] counts = new long[n];
    for (int i = 0; i < n; i++) {
      periods[i] = rules.get(i).period().toMillis();
      windowStarts[i] = startMillis - Math.floorMod(startMillis, periods[i]);
    }
    long now = startMillis;
    long sent = 0;
    while (true) {
      long admissible = Long.MAX_VALUE;
      for (int i = 0; i < n; i++) admissible = Math.min(admissible, rules.get(i).limit() - counts[i]);
      if (requests - sent <= admissible) return (now - startMillis) / 1000.0;
      sent += admissible;
      for (int i = 0; i < n; i++) counts[i] += admissible;
      long next = Long.MAX_VALUE;
      for (int i = 0; i < n; i++) next = Math.min(next, windowStarts[i] + periods[i]);
      now = next;
      for (int i = 0; i < n; i++) {
        long windowStart = now - Math.floorMod(now, periods[i]);
        if (windowStart != windowStarts[i]) {
          windowStarts[i] = windowStart;
          counts[i] = 0;
        }
      }
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
    long startMillis = start.toEpochMilli();
    long until = startMillis + (long) (untilSeconds * 1000);
    int n = rules.size();
    long[] periods = new long[n];
    long[] windowStarts = new long[n];
    long[] counts = new long[n];
    for (int i = 0; i < n; i++) {
      periods[i] = rules.get(i).period().toMillis();
      windowStarts[i] = startMillis - Math.floorMod(startMillis, periods[i]);
    }
    long now = startMillis;
    long total = 0;
    points.add(new double[] {0, 0});
    while (now <= until && n > 0) {
      long admissible = Long.MAX_VALUE;
      for (int i = 0; i < n; i++) admissible = Math.min(admissible, rules.get(i).limit() - counts[i]);
      double t = (now - startMillis) / 1000.0;
      points.add(new double[] {t, total});
      total += admissible;
      points.add(new double[] {t, total});
      for (int i = 0; i < n; i++) counts[i] += admissible;
      long next = Long.MAX_VALUE;
      for (int i = 0; i < n; i++) next = Math.min(next, windowStarts[i] + periods[i]);
      now = next;
      for (int i = 0; i < n; i++) {
        long windowStart = now - Math.floorMod(now, periods[i]);
        if (windowStart != windowStarts[i]) {
          windowStarts[i] = windowStart;
          counts[i] = 0;
        }
      }
    }
    points.add(new double[] {untilSeconds, total});
    return points;
  }
}
