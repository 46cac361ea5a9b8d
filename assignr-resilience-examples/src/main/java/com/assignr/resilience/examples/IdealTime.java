package com.assignr.resilience.examples;

import com.assignr.resilience.testkit.RateLimitRule;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The shortest time in which the rate limits let {@code n} requests through, for the "elapsed vs
 * ideal" line of the summary.
 *
 * <p>Assignr's windows are fixed and aligned to multiples of their period since the epoch. The
 * ideal client sends, at the start instant and then at each window boundary, as many requests as
 * every rule still allows, with zero latency and no reserve left for other users. That greedy
 * schedule is optimal (sending earlier is never worse), so its last admission is a lower bound for
 * any client that starts at the same instant; no real run can be faster.
 *
 * <p>Worked example, rules 60/10 s and 150/30 s, 130 requests, start 4 s into a 10-second window:
 * 60 at once, 60 at the boundary 6 s later, the last 10 at the next boundary: ideal 16 s.
 */
final class IdealTime {
  private IdealTime() {}

  /**
   * @param rules the windows, all applied at once
   * @param requests requests the server counted (429s are not counted by Assignr)
   * @param start when the first request could be sent
   */
  static Duration of(List<RateLimitRule> rules, long requests, Instant start) {
    if (rules.isEmpty() || requests <= 0) return Duration.ZERO;
    int k = rules.size();
    long[] limit = new long[k];
    long[] period = new long[k];
    long[] windowEnd = new long[k];
    long[] used = new long[k];
    long t0 = start.toEpochMilli();
    for (int i = 0; i < k; i++) {
      limit[i] = rules.get(i).limit();
      period[i] = rules.get(i).period().toMillis();
      windowEnd[i] = t0 - Math.floorMod(t0, period[i]) + period[i];
    }
    long now = t0;
    long left = requests;
    while (true) {
      long allowed = Long.MAX_VALUE;
      for (int i = 0; i < k; i++) allowed = Math.min(allowed, limit[i] - used[i]);
      long take = Math.min(allowed, left);
      left -= take;
      for (int i = 0; i < k; i++) used[i] += take;
      if (left == 0) return Duration.ofMillis(now - t0);
      long next = Long.MAX_VALUE;
      for (int i = 0; i < k; i++) next = Math.min(next, windowEnd[i]);
      now = next;
      for (int i = 0; i < k; i++) {
        if (windowEnd[i] == now) {
          used[i] = 0;
          windowEnd[i] += period[i];
        }
      }
    }
  }
}
