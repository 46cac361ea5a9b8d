package com.assignr.resilience;

import com.assignr.resilience.spi.HeaderLookup;

import com.assignr.resilience.internal.HeaderValues;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Assignr's rate-limit headers as sent with one response, successes included.
 *
 * <pre>
 * X-Ratelimit-Limit: 180
 * X-Ratelimit-Period: 60
 * X-Ratelimit-Remaining: 178
 * X-Ratelimit-Reset: 1490302080                 (epoch seconds, read against the response's Date)
 * X-Ratelimit-Reset-Seconds-Remaining: 35
 * </pre>
 *
 * <p>They describe the rule (180/60 s, 500/300 s or 5000/3600 s) with the fewest requests left, so
 * {@code Limit}/{@code Period} change from one response to the next. {@code Retry-After} is not
 * documented by Assignr and is read only as a fallback.
 *
 * <p>Parsing never throws. Only a value that is missing or not a plain non-negative integer (or
 * an HTTP-date, for {@code Retry-After}) is malformed, and treated as absent: the engine falls
 * back to the next source of the reset time, and finally to its own capped backoff. A reset that
 * is well-formed but far away (an hour, a day, 10<sup>9</sup> s) is believed: no caller waits for
 * it longer than {@code maxServerWait}, they give up at once with the instant a retry would
 * succeed. {@code X-Ratelimit-Reset} earlier than the response's {@code Date} says nothing usable
 * and is ignored.
 */
public final class RateLimitInfo {
  /** Header names, as Assignr spells them (matching is case-insensitive). */
  public static final String LIMIT = "X-Ratelimit-Limit";
  public static final String PERIOD = "X-Ratelimit-Period";
  public static final String REMAINING = "X-Ratelimit-Remaining";
  public static final String RESET = "X-Ratelimit-Reset";
  public static final String RESET_SECONDS_REMAINING = "X-Ratelimit-Reset-Seconds-Remaining";
  public static final String RETRY_AFTER = "Retry-After";
  public static final String DATE = "Date";

  private static final RateLimitInfo NONE = new RateLimitInfo(HeaderLookup.NONE, -1, -1);
  /** Larger request counts are not believed (Assignr's largest limit is 5000 an hour). */
  private static final long MAX_COUNT = 1_000_000;

  /*
   * Every response carries these headers, so this object is built once per response on the
   * success path. It keeps only the two numbers the gate and the engine need there (Remaining and
   * the seconds to the reset), parsed at once; everything else is read from the headers on demand.
   */
  private final HeaderLookup headers;
  private final int remaining;
  private final int untilResetSeconds;

  private RateLimitInfo(HeaderLookup headers, int remaining, int untilResetSeconds) {
    this.headers = headers;
    this.remaining = remaining;
    this.untilResetSeconds = untilResetSeconds;
  }

  /**
   * Reads the headers of one response. Never throws. The headers must stay readable for as long
   * as this object is used (every HTTP client's header objects are immutable).
   */
  public static RateLimitInfo from(HeaderLookup headers) {
    long remaining = count(headers.first(REMAINING));
    long untilReset = HeaderValues.nonNegative(headers.first(RESET_SECONDS_REMAINING));
    if (untilReset < 0) {
      long reset = HeaderValues.nonNegative(headers.first(RESET));
      if (reset >= 0) {
        untilReset = resetMinusDate(reset, headers.first(DATE));
      } else if (remaining < 0 && headers.first(RETRY_AFTER) == null) {
        return NONE;
      }
    }
    // Seconds beyond Integer.MAX_VALUE (68 years) saturate: every cap gives up long before.
    return new RateLimitInfo(headers, (int) remaining, (int) Math.min(untilReset, Integer.MAX_VALUE));
  }

  /**
   * The seconds to the reset read again from the headers, not saturated (the hot-path field stops
   * at 68 years): for the instant a far retry would succeed. -1 when absent.
   */
  long untilResetSecondsExact() {
    if (untilResetSeconds < Integer.MAX_VALUE) return untilResetSeconds;
    long exact = HeaderValues.nonNegative(headers.first(RESET_SECONDS_REMAINING));
    if (exact >= 0) return exact;
    long reset = HeaderValues.nonNegative(headers.first(RESET));
    return reset < 0 ? -1 : resetMinusDate(reset, headers.first(DATE));
  }

  private static long resetMinusDate(long resetEpochSecond, String date) {
    Instant responseDate = HeaderValues.httpDate(date);
    if (responseDate == null) return -1;
    long delta = resetEpochSecond - responseDate.getEpochSecond();
    return delta >= 0 ? delta : -1;
  }

  private static long count(String value) {
    long n = HeaderValues.nonNegative(value);
    return n > MAX_COUNT ? -1 : n;
  }

  /** No rate-limit information at all. */
  public static RateLimitInfo none() {
    return NONE;
  }

  /** Whether any rate-limit or retry header was present and readable. */
  public boolean isPresent() {
    return this != NONE;
  }

  /** The request limit of the binding rule (180, 500 or 5000 at Assignr). */
  public OptionalLong limit() {
    long limit = count(headers.first(LIMIT));
    return limit < 0 ? OptionalLong.empty() : OptionalLong.of(limit);
  }

  /** The period of the binding rule in seconds (60, 300 or 3600 at Assignr). */
  public OptionalLong periodSeconds() {
    long period = count(headers.first(PERIOD));
    return period < 0 ? OptionalLong.empty() : OptionalLong.of(period);
  }

  /** Requests left in the binding rule's window. */
  public OptionalInt remaining() {
    return remaining < 0 ? OptionalInt.empty() : OptionalInt.of(remaining);
  }

  /** Requests left, or -1 when unknown: the allocation-free form for hot paths. */
  public long remainingOrNegative() {
    return remaining;
  }

  /**
   * Time until the binding window resets: {@code X-Ratelimit-Reset-Seconds-Remaining} (a delta,
   * immune to clock skew), else {@code X-Ratelimit-Reset} minus the response's own {@code Date}
   * (never the local clock). Empty when neither is usable.
   */
  public Optional<Duration> untilReset() {
    long seconds = untilResetSeconds();
    return seconds < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(seconds));
  }

  /** {@link #untilReset()} in whole seconds, or -1: the allocation-free form for hot paths. */
  public long untilResetSeconds() {
    return untilResetSeconds;
  }

  /**
   * {@code Retry-After} as delta-seconds, or as an HTTP-date read against the response's
   * {@code Date} (the local clock only when the response has none).
   */
  public Optional<Duration> retryAfter(Clock localClock) {
    String retryAfter = headers.first(RETRY_AFTER);
    if (retryAfter == null) return Optional.empty();
    long seconds = HeaderValues.nonNegative(retryAfter);
    if (seconds < 0) {
      Instant when = HeaderValues.httpDate(retryAfter);
      if (when == null) return Optional.empty();
      String date = headers.first(DATE);
      Instant now = date == null ? null : HeaderValues.httpDate(date);
      if (now == null) now = localClock.instant();
      seconds = Duration.between(now, when).getSeconds();
      if (Duration.between(now, when).getNano() > 0) seconds++;
    }
    if (seconds <= 0) return Optional.empty();
    return Optional.of(Duration.ofSeconds(seconds));
  }

  @Override
  public String toString() {
    if (!isPresent()) return "RateLimitInfo{none}";
    StringBuilder s = new StringBuilder("RateLimitInfo{");
    if (remaining >= 0) s.append("remaining=").append(remaining);
    limit().ifPresent(limit -> s.append(", limit=").append(limit));
    periodSeconds().ifPresent(period -> s.append(", period=").append(period).append('s'));
    if (untilResetSeconds >= 0) s.append(", resetIn=").append(untilResetSeconds).append('s');
    String retryAfter = headers.first(RETRY_AFTER);
    if (retryAfter != null) s.append(", retryAfter=").append(HeaderValues.printable(retryAfter));
    return s.append('}').toString();
  }
}
