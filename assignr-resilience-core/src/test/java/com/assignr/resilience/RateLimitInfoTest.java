package com.assignr.resilience;

import com.assignr.resilience.spi.HeaderLookup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RateLimitInfoTest {
  private static final String DATE = "Fri, 24 Mar 2017 20:47:25 GMT"; // epoch 1490388445
  private static final Clock LOCAL = Clock.fixed(Instant.parse("2017-03-24T20:47:25Z"), ZoneOffset.UTC);

  @Test
  void readsTheDocumentedExample() {
    RateLimitInfo info = RateLimitInfo.from(Headers.of(
        "X-Ratelimit-Limit", "180", "X-Ratelimit-Period", "60", "X-Ratelimit-Remaining", "178",
        "X-Ratelimit-Reset", "1490388480", "X-Ratelimit-Reset-Seconds-Remaining", "35", "Date", DATE));
    assertEquals(OptionalLong.of(180), info.limit());
    assertEquals(OptionalLong.of(60), info.periodSeconds());
    assertEquals(OptionalInt.of(178), info.remaining());
    assertEquals(Optional.of(Duration.ofSeconds(35)), info.untilReset());
  }

  @Test
  void headerNamesAreCaseInsensitive() {
    RateLimitInfo info = RateLimitInfo.from(Headers.of(
        "x-ratelimit-remaining", "7", "X-RATELIMIT-RESET-SECONDS-REMAINING", "12"));
    assertEquals(OptionalInt.of(7), info.remaining());
    assertEquals(Optional.of(Duration.ofSeconds(12)), info.untilReset());
  }

  @Test
  void resetEpochIsReadAgainstTheResponsesOwnDateNotTheLocalClock() {
    RateLimitInfo info = RateLimitInfo.from(Headers.of("X-Ratelimit-Reset", "1490388480", "Date", DATE));
    assertEquals(Optional.of(Duration.ofSeconds(35)), info.untilReset());
  }

  @Test
  void resetEpochWithoutDateIsNotGuessedFromTheLocalClock() {
    RateLimitInfo info = RateLimitInfo.from(Headers.of("X-Ratelimit-Reset", "1490388480"));
    assertEquals(Optional.empty(), info.untilReset());
  }

  @Test
  void secondsRemainingWinsOverTheEpoch() {
    RateLimitInfo info = RateLimitInfo.from(Headers.of("X-Ratelimit-Reset-Seconds-Remaining", "10",
        "X-Ratelimit-Reset", "1490388480", "Date", DATE));
    assertEquals(Optional.of(Duration.ofSeconds(10)), info.untilReset());
  }

  @Test
  void retryAfterAsDeltaSeconds() {
    RateLimitInfo info = RateLimitInfo.from(Headers.of("Retry-After", "42"));
    assertEquals(Optional.of(Duration.ofSeconds(42)), info.retryAfter(LOCAL));
  }

  @Test
  void retryAfterAsHttpDateIsReadAgainstTheResponsesDate() {
    RateLimitInfo info = RateLimitInfo.from(Headers.of("Retry-After", "Fri, 24 Mar 2017 20:48:05 GMT", "Date", DATE));
    assertEquals(Optional.of(Duration.ofSeconds(40)), info.retryAfter(Clock.fixed(Instant.EPOCH, ZoneOffset.UTC)));
  }

  @Test
  void retryAfterAsHttpDateFallsBackToTheLocalClockWithoutDate() {
    RateLimitInfo info = RateLimitInfo.from(Headers.of("Retry-After", "Fri, 24 Mar 2017 20:48:05 GMT"));
    assertEquals(Optional.of(Duration.ofSeconds(40)), info.retryAfter(LOCAL));
  }

  @Test
  void noHeadersAtAll() {
    RateLimitInfo info = RateLimitInfo.from(HeaderLookup.NONE);
    assertFalse(info.isPresent());
    assertEquals(Optional.empty(), info.retryAfter(LOCAL));
    assertEquals(OptionalInt.empty(), info.remaining());
  }

  @ParameterizedTest(name = "seconds-remaining \"{0}\" is ignored")
  @ValueSource(strings = {"", " ", "abc", "-5", "3.5", "1e3", "+7", "0x10", "١٢"})
  void malformedNegativeOrAbsurdValuesAreIgnoredNeverThrown(String value) {
    RateLimitInfo info = RateLimitInfo.from(Headers.of(
        "X-Ratelimit-Reset-Seconds-Remaining", value, "X-Ratelimit-Remaining", value, "Retry-After", value));
    assertEquals(Optional.empty(), info.untilReset());
    assertEquals(Optional.empty(), info.retryAfter(LOCAL));
    assertEquals(OptionalInt.empty(), info.remaining());
  }

  /**
   * Far is not a window's reset: the public accessor shows only a reset Assignr's windows can have
   * (at most 3600 s + 60 s of tolerance); a 429 whose every reset is that far gives up at once
   * (see RateLimitHeadersTableTest). Retry-After is shown as sent: on a 503 a day is believable.
   */
  @ParameterizedTest(name = "seconds-remaining \"{0}\" is no window's reset; Retry-After \"{0}\" is read as sent")
  @ValueSource(strings = {"3661", "86401", "1000000000", "1000000000000", "9223372036854775807"})
  void resetsBeyondAnyWindowAreNotAWindowsReset(String value) {
    RateLimitInfo info = RateLimitInfo.from(Headers.of("X-Ratelimit-Reset-Seconds-Remaining", value,
        "Retry-After", value));
    assertTrue(info.isPresent());
    assertEquals(-1, info.untilResetSeconds());
    assertEquals(Optional.empty(), info.untilReset());
    assertEquals(Optional.of(Duration.ofSeconds(Long.parseLong(value))), info.retryAfter(LOCAL));
    assertTrue(info.toString().contains("reset beyond any window"), info::toString);
  }

  @Test
  void theLongestWindowPlusItsToleranceIsStillAReset() {
    assertEquals(3660, RateLimitInfo.from(Headers.of("X-Ratelimit-Reset-Seconds-Remaining", "3660")).untilResetSeconds());
  }

  /** Before: 20+ digits saturated at Long.MAX_VALUE and were believed as a reset 292 years away. */
  @Test
  void aNumberNoLongHoldsIsMalformedNotFar() {
    String digits = "999999999999999999999999999999";
    RateLimitInfo info = RateLimitInfo.from(Headers.of("X-Ratelimit-Reset-Seconds-Remaining", digits,
        "X-Ratelimit-Remaining", digits, "Retry-After", digits));
    assertEquals(Optional.empty(), info.untilReset());
    assertEquals(OptionalInt.empty(), info.remaining());
    assertEquals(Optional.empty(), info.retryAfter(LOCAL));
    assertFalse(info.toString().contains("reset beyond any window"), info::toString);
  }

  @Test
  void resetInThePastIsIgnored() {
    RateLimitInfo info = RateLimitInfo.from(Headers.of("X-Ratelimit-Reset", "1490388000", "Date", DATE));
    assertEquals(Optional.empty(), info.untilReset());
    RateLimitInfo retryAfterPast = RateLimitInfo.from(Headers.of("Retry-After", "Fri, 24 Mar 2017 20:40:00 GMT", "Date", DATE));
    assertEquals(Optional.empty(), retryAfterPast.retryAfter(LOCAL));
  }

  @Test
  void malformedDateHeaderNeverThrows() {
    RateLimitInfo info = RateLimitInfo.from(Headers.of("X-Ratelimit-Reset", "1490388480", "Date", "yesterday-ish"));
    assertEquals(Optional.empty(), info.untilReset());
    assertTrue(info.isPresent());
  }

  @Test
  void toStringIsBoundedAndPrintable() {
    RateLimitInfo info = RateLimitInfo.from(Headers.of("Retry-After", "x".repeat(500) + "\n\r"));
    assertTrue(info.toString().length() < 120, info.toString());
    assertFalse(info.toString().contains("\n"));
  }
}
