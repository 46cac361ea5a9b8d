package com.assignr.resilience.testkit.internal;

import com.assignr.resilience.testkit.RateLimitRule;
import java.util.List;

/**
 * Assignr's rate limits as the simulator enforces them.
 *
 * <h2>How is it designed, and why?</h2>
 *
 * <p>Assignr applies three rules at once (180 requests per 60 s, 500 per 300 s, 5000 per 3600 s)
 * and its documented example ({@code Date} + 35 s is exactly {@code X-Ratelimit-Reset}) shows
 * fixed windows aligned to multiples of the period since the epoch. So every rule is a counter
 * plus the start of its current window, {@code windowStart = now - now % period}; when {@code now}
 * passes into a later window the counter starts again at zero. No sliding logs, no tokens.
 *
 * <p>A request is <em>admitted</em> when no rule is exhausted; it then counts against every rule.
 * A refused request (429) counts against none — the server did not process it. The response
 * headers describe the rule with the fewest requests left (ties: the shortest period), which is
 * why {@code X-Ratelimit-Limit}/{@code -Period} switch between rules from one response to the next.
 *
 * <p>Worked example with the defaults, at 10:00:30 after 179 requests since 10:00:00 in a quiet
 * hour: the 60 s rule has 1 left, the 300 s rule 321, the hourly rule 4821; the response reports
 * {@code 180/60, Remaining 1, Reset 10:01:00, Reset-Seconds-Remaining 30}. The next request is
 * admitted with {@code Remaining 0}; the one after is refused with 429 until 10:01:00.
 *
 * <p>{@code Reset-Seconds-Remaining} is rounded <em>down</em>: at 10:00:59.900 it says 0, the
 * worst case a client has to survive (a naive client retrying "in 0 s" is refused again).
 *
 * <p>All state sits behind one monitor, so admission is exact under any concurrency.
 */
public final class FixedWindowRateLimiter {

  /** What one admission decision saw; the header values of the binding rule. */
  public record Decision(
      boolean admitted,
      boolean limited,
      long limit,
      long periodSeconds,
      long remaining,
      long resetEpochSeconds,
      long secondsRemaining,
      long millisUntilReset) {}

  private final long[] limits;
  private final long[] periods;
  private final long[] windowStarts;
  private final long[] counts;

  public FixedWindowRateLimiter(List<RateLimitRule> rules) {
    int n = rules.size();
    limits = new long[n];
    periods = new long[n];
    windowStarts = new long[n];
    counts = new long[n];
    for (int i = 0; i < n; i++) {
      limits[i] = rules.get(i).limit();
      periods[i] = rules.get(i).period().toMillis();
      windowStarts[i] = Long.MIN_VALUE;
    }
  }

  /** Whether any rule is configured; without rules there are no rate-limit headers. */
  public boolean enabled() {
    return limits.length > 0;
  }

  /**
   * Decides one request at {@code nowMillis}. When {@code consume} is false (a scripted 429, a
   * redirect) nothing is counted and the state is only reported.
   */
  public synchronized Decision acquire(long nowMillis, boolean consume) {
    if (!enabled()) {
      return new Decision(true, false, 0, 0, 0, 0, 0, 0);
    }
    boolean exhausted = false;
    for (int i = 0; i < limits.length; i++) {
      long start = nowMillis - Math.floorMod(nowMillis, periods[i]);
      // Only forward: a request timed before the boundary but decided after it counts against the
      // current window instead of dragging the window back and zeroing its count.
      if (start > windowStarts[i]) {
        windowStarts[i] = start;
        counts[i] = 0;
      }
      exhausted |= counts[i] >= limits[i];
    }
    boolean admitted = !exhausted;
    if (admitted && consume) {
      for (int i = 0; i < counts.length; i++) {
        counts[i]++;
      }
    }
    int binding = 0;
    for (int i = 1; i < limits.length; i++) {
      long left = limits[i] - counts[i];
      long bindingLeft = limits[binding] - counts[binding];
      if (left < bindingLeft || (left == bindingLeft && periods[i] < periods[binding])) {
        binding = i;
      }
    }
    long windowEnd = windowStarts[binding] + periods[binding];
    long untilReset = windowEnd - nowMillis;
    return new Decision(
        admitted,
        exhausted,
        limits[binding],
        periods[binding] / 1000,
        Math.max(0, limits[binding] - counts[binding]),
        Math.floorDiv(windowEnd, 1000),
        untilReset / 1000,
        untilReset);
  }

  /** Forgets all counts, as if no request had ever arrived. */
  public synchronized void reset() {
    for (int i = 0; i < counts.length; i++) {
      counts[i] = 0;
      windowStarts[i] = Long.MIN_VALUE;
    }
  }
}
