package com.assignr.resilience;

import com.assignr.resilience.spi.HeaderLookup;

import com.assignr.resilience.internal.HeaderValues;
import com.assignr.resilience.internal.RateLimitHeaders;
import java.time.Clock;
import java.time.Duration;
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
 * <p>Parsing never throws, and no value here can make a call wait past its caps. What each value
 * means (which header is believed when they disagree, which are malformed, which resets are too far
 * to be a window's) is decided in one place and specified by one table; in short: the seconds
 * remaining, else {@code X-Ratelimit-Reset} read against the response's own {@code Date}, else on
 * a 429 {@code Retry-After}, the first <em>plausible</em> one (at most 3660 s: Assignr's longest
 * window is an hour) winning. A value that is missing, malformed, negative, fractional, too large
 * for a {@code long} or in the past is ignored. A 429 whose every usable reset is implausible
 * (10<sup>9</sup> s) makes the call give up at once, with that instant as its {@code retryAt}.
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

  /*
   * Every response carries these headers, so this object is built once per response on the
   * success path. It keeps only the two numbers the gate and the engine need there (Remaining and
   * the seconds to the reset), parsed at once; everything else is read from the headers on demand.
   * untilResetSeconds is RateLimitHeaders.windowReset: a plausible reset (0..3660 s), NO_RESET (-1)
   * or IMPLAUSIBLE_RESET (-2); the public accessors show both negatives as "unknown".
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
    long remaining = RateLimitHeaders.count(headers.first(REMAINING));
    long untilReset = RateLimitHeaders.windowReset(headers);
    if (remaining < 0 && untilReset == RateLimitHeaders.NO_RESET && headers.first(RETRY_AFTER) == null
        && HeaderValues.wholeNumber(headers.first(RESET)) < 0) {
      return NONE; // nothing readable (a Reset without a usable Date still shows in toString)
    }
    return new RateLimitInfo(headers, (int) remaining, (int) untilReset);
  }

  /**
   * What these headers mean: a 429's wait, give-up or closure without a reset, or a budget. The
   * engine acts on this, never on the raw headers.
   */
  RateLimitHeaders.Meaning meaning(boolean rateLimited, Clock localClock) {
    return RateLimitHeaders.read(rateLimited, headers, localClock);
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
    long limit = RateLimitHeaders.count(headers.first(LIMIT));
    return limit < 0 ? OptionalLong.empty() : OptionalLong.of(limit);
  }

  /** The period of the binding rule in seconds (60, 300 or 3600 at Assignr). */
  public OptionalLong periodSeconds() {
    long period = RateLimitHeaders.count(headers.first(PERIOD));
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
   * (never the local clock), whichever is first <em>plausible</em> (at most 3660 s: Assignr's
   * longest window is an hour). Empty when neither is usable, or neither plausible.
   */
  public Optional<Duration> untilReset() {
    long seconds = untilResetSeconds();
    return seconds < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(seconds));
  }

  /** {@link #untilReset()} in whole seconds, or -1: the allocation-free form for hot paths. */
  public long untilResetSeconds() {
    return untilResetSeconds < 0 ? -1 : untilResetSeconds;
  }

  /**
   * {@code Retry-After} as delta-seconds, or as an HTTP-date read against the response's {@code
   * Date} (the local clock only when the response has none), rounded up to whole seconds. Empty
   * when missing, malformed, too large for a {@code long}, or in the past. Not bounded: on a 503 a
   * day is believable (on a 429 the rate-limit rules above decide whether it is believed).
   */
  public Optional<Duration> retryAfter(Clock localClock) {
    long seconds = RateLimitHeaders.retryAfterSeconds(headers, localClock);
    return seconds < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(seconds));
  }

  /** {@link #retryAfter(Clock)} in whole seconds, or -1. */
  long retryAfterSeconds(Clock localClock) {
    return RateLimitHeaders.retryAfterSeconds(headers, localClock);
  }

  @Override
  public String toString() {
    if (!isPresent()) return "RateLimitInfo{none}";
    StringBuilder s = new StringBuilder("RateLimitInfo{");
    if (remaining >= 0) s.append("remaining=").append(remaining);
    limit().ifPresent(limit -> s.append(", limit=").append(limit));
    periodSeconds().ifPresent(period -> s.append(", period=").append(period).append('s'));
    if (untilResetSeconds >= 0) s.append(", resetIn=").append(untilResetSeconds).append('s');
    if (untilResetSeconds == RateLimitHeaders.IMPLAUSIBLE_RESET) s.append(", reset beyond any window");
    String retryAfter = headers.first(RETRY_AFTER);
    if (retryAfter != null) s.append(", retryAfter=").append(HeaderValues.printable(retryAfter));
    return s.append('}').toString();
  }
}
