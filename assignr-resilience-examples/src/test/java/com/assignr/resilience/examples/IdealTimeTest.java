package com.assignr.resilience.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.assignr.resilience.testkit.RateLimitRule;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The ideal schedule, as a table: windows aligned to the epoch, greedy admission at boundaries. */
class IdealTimeTest {
  private static final List<RateLimitRule> DEMO =
      List.of(RateLimitRule.of(60, Duration.ofSeconds(10)), RateLimitRule.of(150, Duration.ofSeconds(30)));
  /** 4 s into a 10-second window and into a 30-second one. */
  private static final Instant START = Instant.ofEpochSecond(1_700_000_004L - 1_700_000_004L % 30 + 4);

  private static Duration ideal(List<RateLimitRule> rules, long n) {
    return IdealTime.of(rules, n, START);
  }

  @Test
  void fitsInTheFirstWindow() {
    assertEquals(Duration.ZERO, ideal(DEMO, 60));
  }

  @Test
  void oneMoreWaitsForTheNextBoundary() {
    assertEquals(Duration.ofSeconds(6), ideal(DEMO, 61));
  }

  @Test
  void workedExampleFromTheJavadoc() {
    // 60 at once, 60 at +6 s, the last 10 at +16 s.
    assertEquals(Duration.ofSeconds(16), ideal(DEMO, 130));
  }

  @Test
  void theLongerWindowBinds() {
    // 60 at 0, 60 at +6, 30 at +16 (150 in the 30 s window), the rest at the 30 s boundary +26 s.
    assertEquals(Duration.ofSeconds(26), ideal(DEMO, 151));
  }

  @Test
  void noRulesOrNoRequestsCostNothing() {
    assertEquals(Duration.ZERO, ideal(List.of(), 1000));
    assertEquals(Duration.ZERO, ideal(DEMO, 0));
  }
}
