package com.assignr.resilience.internal;

import com.assignr.resilience.spi.HeaderLookup;
import com.assignr.resilience.RateLimitInfo;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What one response's rate-limit headers mean: the one place every header rule lives. {@link
 * RateLimitInfo} (what users see), the engine (a 429's wait or give-up) and both gates (the budget
 * they learn, how long they close) ask here. Its specification is the table in {@code
 * RateLimitHeadersTableTest}: a reader finds every rule there. Not for users.
 *
 * <h2>Which header is believed, and why</h2>
 *
 * <p><b>Sources of a reset</b>, in this order of precedence:
 *
 * <ol>
 *   <li>{@code X-Ratelimit-Reset-Seconds-Remaining}: a delta, immune to clock skew;
 *   <li>{@code X-Ratelimit-Reset} minus the response's own {@code Date} (an epoch is read against
 *       the server's clock, never the local one: without a readable {@code Date} it says nothing);
 *   <li>{@code Retry-After}, <em>on a 429 only</em> (Assignr does not document it; RFC 9110 gives
 *       it no meaning on a success): delta-seconds, or an HTTP-date read against {@code Date} (the
 *       local clock only when {@code Date} is missing or unreadable).
 * </ol>
 *
 * <p><b>Usable.</b> A source is usable when it is a plain whole number of seconds (or an
 * HTTP-date) that a {@code long} holds and not in the past; "0" and a reset equal to {@code Date}
 * mean "now" and are usable. Missing, malformed, negative, fractional ({@code 3.5}), exponent or
 * sign forms, non-ASCII digits, a number no {@code long} holds (30 digits: malformed, not far), a
 * time before {@code Date}, and {@code Reset} without {@code Date} are not: they never crash a call
 * and never make anyone wait, they only leave the word to the next source.
 *
 * <p><b>Plausible.</b> A usable reset is plausible when it is at most {@value
 * #MAX_PLAUSIBLE_SECONDS} s away: Assignr's longest window is {@value #LONGEST_WINDOW_SECONDS} s
 * (5000 requests an hour), plus {@value #TOLERANCE_SECONDS} s of tolerance. The tolerance covers
 * the whole-second rounding of {@code Reset}, {@code Date} and the seconds remaining (at most 2 s),
 * and a {@code Date} stamped by a front server whose clock is up to a minute off the one that
 * computed {@code Reset}; a reset a minute past the hour is no window Assignr has. (How far a
 * plausible reset is waited for is the engine's cap, {@code maxServerWait}, 65 s by default: an
 * hourly reset is plausible yet given up on at once, with its {@code retryAt}.)
 *
 * <p><b>The rule.</b> The first <em>plausible</em> source in precedence order wins. So when every
 * source is plausible the precedence decides (Seconds-Remaining 10 beats Reset − Date 35), and when
 * they disagree and one is implausible the plausible one wins (Seconds-Remaining 1 000 000 000 and
 * Reset = Date + 5: wait 5 s). Only when no source is plausible and at least one is usable does a
 * 429 mean <em>give up at once</em>, with {@code retryAt} the first usable reset in precedence
 * order: every usable header agrees that the reset is far. A 429 with nothing usable is a closure
 * without a reset: the engine backs off, the gate closes for {@code closureWithoutReset}.
 *
 * <p><b>Remaining.</b> A whole number from 0 to {@value #MAX_COUNT}; anything else (negative,
 * fractional, larger, not representable) is unknown, and a 200 with an unknown count teaches the
 * gate no budget. Assignr's largest limit is 5000; {@value #MAX_COUNT} is what the gate's packed
 * budget holds. A 429 means none left whatever {@code Remaining} says.
 *
 * <p><b>Retry-After on other statuses</b> (a 503's maintenance window) is parsed the same way but
 * not bounded by plausibility: a day is believable there, and the engine gives up at once with its
 * {@code retryAt} when it passes the cap.
 */
public final class RateLimitHeaders {
  /** Assignr's longest window: 5000 requests per 3600 s. */
  public static final long LONGEST_WINDOW_SECONDS = 3600;
  /** Rounding of whole-second headers, and a front server's clock up to a minute off. */
  public static final long TOLERANCE_SECONDS = 60;
  /** The furthest reset believed to be a window's: {@value}. */
  public static final long MAX_PLAUSIBLE_SECONDS = LONGEST_WINDOW_SECONDS + TOLERANCE_SECONDS;
  /** Larger request counts are unknown (Assignr's largest limit is 5000). */
  public static final long MAX_COUNT = 1_000_000;
  /** {@link #windowReset}: no source of a window reset is usable. */
  public static final long NO_RESET = -1;
  /** {@link #windowReset}: a source is usable, but none is plausible. */
  public static final long IMPLAUSIBLE_RESET = -2;

  private RateLimitHeaders() {}

  /** Which header a reset came from. */
  public enum Source {
    SECONDS_REMAINING("Seconds-Remaining"),
    RESET("Reset - Date"),
    RETRY_AFTER("Retry-After");

    private final String label;

    Source(String label) {
      this.label = label;
    }

    @Override
    public String toString() {
      return label;
    }
  }

  /** What the headers of one response mean. */
  public enum Kind {
    /** A plausible reset: a 429 waits for it (within the caps), a budget holds until it. */
    UNTIL_RESET,
    /** A 429 whose every usable reset is implausible: give up at once, retry at that reset. */
    GIVE_UP,
    /** No plausible reset: a 429 or an exhausted budget closes without one, and backs off. */
    WITHOUT_RESET,
    /** A response other than a 429 with no usable count and no plausible reset. */
    NO_INFORMATION
  }

  /**
   * The meaning of one response's headers.
   *
   * @param rateLimited whether the response is a 429
   * @param kind what they mean
   * @param remaining requests left (0 for a 429), or -1 when unknown
   * @param seconds the reset in seconds from the response's {@code Date} ({@code UNTIL_RESET},
   *     {@code GIVE_UP}), else -1
   * @param source the header the reset came from, or null
   */
  public record Meaning(boolean rateLimited, Kind kind, long remaining, long seconds, Source source) {
    /** The table's wording. */
    @Override
    public String toString() {
      switch (kind) {
        case GIVE_UP:
          return "give up, retry at +" + seconds + " s (" + source + ")";
        case NO_INFORMATION:
          return "no information";
        default:
          break;
      }
      if (rateLimited) {
        return kind == Kind.UNTIL_RESET ? "wait " + seconds + " s (" + source + ")" : "close without reset";
      }
      String count = remaining < 0 ? "count unknown" : remaining + " left";
      return kind == Kind.UNTIL_RESET ? count + ", resets in " + seconds + " s (" + source + ")"
          : count + ", reset unknown";
    }
  }

  /**
   * What the headers of one response mean. Never throws.
   *
   * @param rateLimited whether the response is a 429
   * @param localClock read only for a 429's {@code Retry-After} HTTP-date without a readable {@code Date}
   */
  public static Meaning read(boolean rateLimited, HeaderLookup headers, Clock localClock) {
    long remaining = rateLimited ? 0 : count(headers.first(RateLimitInfo.REMAINING));
    long window = windowReset(headers);
    if (window >= 0) {
      Source source = plausible(HeaderValues.wholeNumber(headers.first(RateLimitInfo.RESET_SECONDS_REMAINING)))
          ? Source.SECONDS_REMAINING : Source.RESET;
      return new Meaning(rateLimited, Kind.UNTIL_RESET, remaining, window, source);
    }
    if (!rateLimited) {
      return new Meaning(false, remaining < 0 ? Kind.NO_INFORMATION : Kind.WITHOUT_RESET, remaining, -1, null);
    }
    long retryAfter = retryAfterSeconds(headers, localClock);
    if (plausible(retryAfter)) return new Meaning(rateLimited, Kind.UNTIL_RESET, remaining, retryAfter, Source.RETRY_AFTER);
    if (window == IMPLAUSIBLE_RESET) {
      long seconds = HeaderValues.wholeNumber(headers.first(RateLimitInfo.RESET_SECONDS_REMAINING));
      if (seconds >= 0) return new Meaning(rateLimited, Kind.GIVE_UP, remaining, seconds, Source.SECONDS_REMAINING);
      return new Meaning(rateLimited, Kind.GIVE_UP, remaining, resetMinusDate(headers), Source.RESET);
    }
    if (retryAfter >= 0) return new Meaning(rateLimited, Kind.GIVE_UP, remaining, retryAfter, Source.RETRY_AFTER);
    return new Meaning(rateLimited, Kind.WITHOUT_RESET, remaining, -1, null);
  }

  /**
   * The binding window's reset, by the rule above without {@code Retry-After}: the seconds of the
   * first plausible source, {@link #IMPLAUSIBLE_RESET}, or {@link #NO_RESET}. On every response, so
   * it reads {@code Reset} and {@code Date} only when the seconds remaining are not plausible
   * (Assignr always sends them).
   */
  public static long windowReset(HeaderLookup headers) {
    long seconds = HeaderValues.wholeNumber(headers.first(RateLimitInfo.RESET_SECONDS_REMAINING));
    if (plausible(seconds)) return seconds;
    long reset = resetMinusDate(headers);
    if (plausible(reset)) return reset;
    return seconds >= 0 || reset >= 0 ? IMPLAUSIBLE_RESET : NO_RESET;
  }

  /** Whether a usable reset (seconds from now) is one an Assignr window can have. */
  public static boolean plausible(long seconds) {
    return seconds >= 0 && seconds <= MAX_PLAUSIBLE_SECONDS;
  }

  /** A request count ({@code Remaining}, {@code Limit}, {@code Period}), or -1 when unknown. */
  public static long count(String value) {
    long n = HeaderValues.wholeNumber(value);
    return n > MAX_COUNT ? -1 : n;
  }

  /**
   * {@code Retry-After} in whole seconds (an HTTP-date rounded up), or -1 when missing, malformed,
   * not representable or in the past. An HTTP-date is read against the response's {@code Date},
   * and against {@code localClock} only when that is missing or unreadable.
   */
  public static long retryAfterSeconds(HeaderLookup headers, Clock localClock) {
    String value = headers.first(RateLimitInfo.RETRY_AFTER);
    if (value == null) return -1;
    long seconds = HeaderValues.wholeNumber(value);
    if (seconds >= 0) return seconds;
    Instant when = HeaderValues.httpDate(value);
    if (when == null) return -1;
    Instant now = HeaderValues.httpDate(headers.first(RateLimitInfo.DATE));
    if (now == null) now = localClock.instant();
    Duration until = Duration.between(now, when); // Instants span 2 * 3.2e16 s: no overflow
    if (until.isNegative()) return -1;
    return until.getSeconds() + (until.getNano() > 0 ? 1 : 0);
  }

  /**
   * How long a gate stays closed after a response that closes it but names no plausible window
   * reset (a 429, or a count at the reserve): a 429's plausible {@code Retry-After}, else {@code
   * fallbackNanos} (the policy's {@code closureWithoutReset}). Never longer than {@value
   * #MAX_PLAUSIBLE_SECONDS} s or the fallback, never an overflow, whatever the header says.
   *
   * @param rateLimited whether the response is a 429
   * @param retryAfter the response's {@link RateLimitInfo#retryAfter(Clock)}
   * @param fallbackNanos the closure when the response names none
   */
  public static long closureWithoutResetNanos(boolean rateLimited, Optional<Duration> retryAfter,
      long fallbackNanos) {
    if (!rateLimited || retryAfter.isEmpty()) return fallbackNanos;
    long seconds = retryAfter.get().getSeconds();
    return plausible(seconds) ? seconds * 1_000_000_000L : fallbackNanos;
  }

  /** {@code Reset} minus the response's {@code Date} in seconds, or -1 when not usable. */
  private static long resetMinusDate(HeaderLookup headers) {
    long reset = HeaderValues.wholeNumber(headers.first(RateLimitInfo.RESET));
    if (reset < 0) return -1;
    Instant date = HeaderValues.httpDate(headers.first(RateLimitInfo.DATE));
    if (date == null) return -1;
    long delta;
    try {
      delta = Math.subtractExact(reset, date.getEpochSecond()); // a Date before 1970 can overflow it
    } catch (ArithmeticException e) {
      return -1;
    }
    return delta >= 0 ? delta : -1; // a reset before Date is in the past
  }
}
