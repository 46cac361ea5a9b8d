package com.assignr.resilience.testkit.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.assignr.resilience.testkit.RateLimitRule;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class FixedWindowRateLimiterTest {
  /**
   * Requests timed on either side of a boundary can be decided out of order under concurrency. A
   * late one must count against the current window, never drag it back and zero its count.
   */
  @Test
  void aRequestDecidedLateNeverMovesTheWindowBack() {
    FixedWindowRateLimiter limiter = new FixedWindowRateLimiter(List.of(RateLimitRule.of(2, Duration.ofSeconds(10))));
    long[] times = {10_001, 9_999, 10_002, 9_998, 10_003, 10_004};
    int admitted = 0;
    for (long t : times) {
      if (limiter.acquire(t, true).admitted()) admitted++;
    }
    assertEquals(2, admitted, "2 per window: the late requests count against [10000, 20000)");
  }
}
