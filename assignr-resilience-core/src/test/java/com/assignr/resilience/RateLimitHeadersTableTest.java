package com.assignr.resilience;

import com.assignr.resilience.testkit.GateDriver;

import com.assignr.resilience.spi.RateLimitGate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.assignr.resilience.internal.RateLimitHeaders;
import com.assignr.resilience.testkit.VirtualTime;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What a response's rate-limit headers mean: the specification of {@link RateLimitHeaders}, one
 * row per rule. A reader finds every header rule here.
 *
 * <p>Notation. {@code D} is the response's {@code Date}, {@value #DATE} (epoch 1490388445); the
 * local clock reads D + 10 s, so a row shows which clock a value was read against. In the Reset
 * column {@code D+5} is the epoch second of D + 5 s; in the Retry-After column {@code @D+20} is the
 * HTTP-date of D + 20 s. {@code -} is a header that is not sent, {@code ''} one sent empty. Status
 * 200 stands for every response but a 429 (a 503's headers teach the gate the same way).
 *
 * <p>Meanings. For a 429: <em>wait X s</em> (the reset, plus the margin, within the caps), <em>give
 * up, retry at +X s</em> (at once, whatever the cap), <em>close without reset</em> (back off; the
 * gate closes for {@code closureWithoutReset}). For other statuses: the count and the window's
 * reset the gate learns. Each row is also run through the engine and the in-process gate, whose
 * decisions must follow from the meaning.
 */
class RateLimitHeadersTableTest {
  static final String DATE = "Fri, 24 Mar 2017 20:47:25 GMT";
  static final Instant D = Instant.parse("2017-03-24T20:47:25Z");
  static final Instant LOCAL_NOW = D.plusSeconds(10);
  static final Clock LOCAL = Clock.fixed(LOCAL_NOW, ZoneOffset.UTC);
  static final Duration MARGIN = RetryPolicy.defaults().rateLimitMargin();
  static final Duration CAP = RetryPolicy.defaults().maxServerWait();
  static final Duration CLOSURE_WITHOUT_RESET = GatePolicy.defaults().closureWithoutReset();

  @ParameterizedTest(name = "{0}: {1} -> {7}")
  @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
      # row                                                          | status | Remaining | Seconds-Remaining              | Reset                          | Date                          | Retry-After                    | meaning
      # --- Seconds-Remaining: a delta, immune to clock skew, first in precedence ---
      the documented example                                         | 429    | 0         | 35                             | D+35                           | D                             | -                              | wait 35 s (Seconds-Remaining)
      Seconds-Remaining alone                                        | 429    | -         | 35                             | -                              | -                             | -                              | wait 35 s (Seconds-Remaining)
      Seconds-Remaining with surrounding spaces                      | 429    | -         | ' 35 '                         | -                              | -                             | -                              | wait 35 s (Seconds-Remaining)
      Seconds-Remaining zero: the window resets now                  | 429    | -         | 0                              | -                              | -                             | -                              | wait 0 s (Seconds-Remaining)
      Seconds-Remaining 3600: the hourly window, past the cap        | 429    | -         | 3600                           | -                              | -                             | -                              | wait 3600 s (Seconds-Remaining)
      Seconds-Remaining 3660: the last plausible second              | 429    | -         | 3660                           | -                              | -                             | -                              | wait 3660 s (Seconds-Remaining)
      Seconds-Remaining 3661 alone: implausible, nothing disagrees   | 429    | -         | 3661                           | -                              | -                             | -                              | give up, retry at +3661 s (Seconds-Remaining)
      Seconds-Remaining 10^9 alone                                   | 429    | -         | 1000000000                     | -                              | -                             | -                              | give up, retry at +1000000000 s (Seconds-Remaining)
      Seconds-Remaining Long.MAX_VALUE alone: no Instant holds it    | 429    | -         | 9223372036854775807            | -                              | -                             | -                              | give up, retry at +9223372036854775807 s (Seconds-Remaining)
      Seconds-Remaining of 30 digits: malformed, not far             | 429    | -         | 999999999999999999999999999999 | -                              | -                             | -                              | close without reset
      Seconds-Remaining negative                                     | 429    | -         | -35                            | -                              | -                             | -                              | close without reset
      Seconds-Remaining fractional                                   | 429    | -         | 35.5                           | -                              | -                             | -                              | close without reset
      Seconds-Remaining with a plus sign                             | 429    | -         | +35                            | -                              | -                             | -                              | close without reset
      Seconds-Remaining in exponent form                             | 429    | -         | 1e3                            | -                              | -                             | -                              | close without reset
      Seconds-Remaining in non-ASCII digits                          | 429    | -         | ٣٥                             | -                              | -                             | -                              | close without reset
      Seconds-Remaining not a number                                 | 429    | -         | soon                           | -                              | -                             | -                              | close without reset
      Seconds-Remaining empty                                        | 429    | -         | ''                             | -                              | -                             | -                              | close without reset
      # --- Reset: an epoch, read against the response's own Date, never the local clock ---
      Reset with Date                                                | 429    | -         | -                              | D+35                           | D                             | -                              | wait 35 s (Reset - Date)
      Reset without Date: not read against the local clock           | 429    | -         | -                              | D+35                           | -                             | -                              | close without reset
      Reset with an unreadable Date                                  | 429    | -         | -                              | D+35                           | yesterday                     | -                              | close without reset
      Reset equal to Date: the window resets now                     | 429    | -         | -                              | D+0                            | D                             | -                              | wait 0 s (Reset - Date)
      Reset before Date: in the past                                 | 429    | -         | -                              | D-120                          | D                             | -                              | close without reset
      Reset 3660 s after Date                                        | 429    | -         | -                              | D+3660                         | D                             | -                              | wait 3660 s (Reset - Date)
      Reset 3661 s after Date alone                                  | 429    | -         | -                              | D+3661                         | D                             | -                              | give up, retry at +3661 s (Reset - Date)
      Reset 10^12 alone                                              | 429    | -         | -                              | 1000000000000                  | D                             | -                              | give up, retry at +998509611555 s (Reset - Date)
      Reset of 30 digits: malformed                                  | 429    | -         | -                              | 999999999999999999999999999999 | D                             | -                              | close without reset
      Reset Long.MAX_VALUE with a Date before 1970: overflows        | 429    | -         | -                              | 9223372036854775807            | Mon, 01 Jan 1900 00:00:00 GMT | -                              | close without reset
      Reset negative                                                 | 429    | -         | -                              | -1700000000                    | D                             | -                              | close without reset
      Reset fractional                                               | 429    | -         | -                              | 1490388480.5                   | D                             | -                              | close without reset
      Reset not a number                                             | 429    | -         | -                              | tomorrow                       | D                             | -                              | close without reset
      # --- Retry-After: on a 429 only; delta-seconds, or an HTTP-date against Date (else the local clock) ---
      Retry-After seconds                                            | 429    | -         | -                              | -                              | -                             | 20                             | wait 20 s (Retry-After)
      Retry-After zero                                               | 429    | -         | -                              | -                              | -                             | 0                              | wait 0 s (Retry-After)
      Retry-After HTTP-date, read against Date                       | 429    | -         | -                              | -                              | D                             | @D+20                          | wait 20 s (Retry-After)
      Retry-After HTTP-date without Date: against the local clock    | 429    | -         | -                              | -                              | -                             | @D+20                          | wait 10 s (Retry-After)
      Retry-After HTTP-date with an unreadable Date: local clock     | 429    | -         | -                              | -                              | yesterday                     | @D+20                          | wait 10 s (Retry-After)
      Retry-After HTTP-date in the past                              | 429    | -         | -                              | -                              | D                             | @D-60                          | close without reset
      Retry-After negative                                           | 429    | -         | -                              | -                              | -                             | -20                            | close without reset
      Retry-After fractional                                         | 429    | -         | -                              | -                              | -                             | 20.5                           | close without reset
      Retry-After not a number                                       | 429    | -         | -                              | -                              | -                             | soon                           | close without reset
      Retry-After of 30 digits: malformed                            | 429    | -         | -                              | -                              | -                             | 999999999999999999999999999999 | close without reset
      Retry-After 3661 alone                                         | 429    | -         | -                              | -                              | -                             | 3661                           | give up, retry at +3661 s (Retry-After)
      Retry-After 10^11 alone (its nanoseconds overflow a long)      | 429    | -         | -                              | -                              | -                             | 100000000000                   | give up, retry at +100000000000 s (Retry-After)
      Retry-After HTTP-date in the year 9999                         | 429    | -         | -                              | -                              | D                             | Fri, 31 Dec 9999 23:59:59 GMT  | give up, retry at +251911912354 s (Retry-After)
      # --- Several headers: the first plausible one in precedence order wins ---
      all plausible and disagreeing: Seconds-Remaining first         | 429    | -         | 10                             | D+35                           | D                             | 20                             | wait 10 s (Seconds-Remaining)
      all plausible and disagreeing: Reset before Retry-After        | 429    | -         | -                              | D+35                           | D                             | 20                             | wait 35 s (Reset - Date)
      issue 18: Seconds-Remaining 10^9 and a plausible Reset         | 429    | -         | 1000000000                     | D+5                            | D                             | -                              | wait 5 s (Reset - Date)
      issue 18: Seconds-Remaining of 30 digits and a plausible Reset | 429    | -         | 999999999999999999999999999999 | D+5                            | D                             | -                              | wait 5 s (Reset - Date)
      absurd Seconds-Remaining, plausible Retry-After                | 429    | -         | 1000000000                     | D+5                            | -                             | 7                              | wait 7 s (Retry-After)
      absurd Seconds-Remaining and Reset, plausible Retry-After      | 429    | -         | 1000000000                     | 1000000000000                  | D                             | 7                              | wait 7 s (Retry-After)
      plausible Seconds-Remaining, absurd Reset and Retry-After      | 429    | -         | 5                              | 1000000000000                  | D                             | 1000000000                     | wait 5 s (Seconds-Remaining)
      plausible but past the cap still beats absurd                  | 429    | -         | 1000000000                     | D+3600                         | D                             | -                              | wait 3600 s (Reset - Date)
      every header absurd: the first in precedence gives retryAt     | 429    | -         | 1000000000                     | 1000000000000                  | D                             | 100000000                      | give up, retry at +1000000000 s (Seconds-Remaining)
      malformed Seconds-Remaining, absurd Reset                      | 429    | -         | 999999999999999999999999999999 | 1000000000000                  | D                             | -                              | give up, retry at +998509611555 s (Reset - Date)
      absurd Seconds-Remaining, Reset in the past                    | 429    | -         | 1000000000                     | D-120                          | D                             | -                              | give up, retry at +1000000000 s (Seconds-Remaining)
      absurd Seconds-Remaining, malformed Retry-After                | 429    | -         | 1000000000                     | -                              | -                             | soon                           | give up, retry at +1000000000 s (Seconds-Remaining)
      every header malformed or in the past                          | 429    | -         | soon                           | D-120                          | D                             | -20                            | close without reset
      no headers at all                                              | 429    | -         | -                              | -                              | -                             | -                              | close without reset
      Remaining on a 429 means nothing: none are left                | 429    | 50        | 35                             | -                              | -                             | -                              | wait 35 s (Seconds-Remaining)
      # --- Other statuses: the count and the window's reset the gate learns ---
      200, the documented example                                    | 200    | 178       | 35                             | D+35                           | D                             | -                              | 178 left, resets in 35 s (Seconds-Remaining)
      200, Reset with Date                                           | 200    | 178       | -                              | D+35                           | D                             | -                              | 178 left, resets in 35 s (Reset - Date)
      200, Reset without Date                                        | 200    | 178       | -                              | D+35                           | -                             | -                              | 178 left, reset unknown
      200, absurd Seconds-Remaining and a plausible Reset            | 200    | 100       | 1000000000                     | D+5                            | D                             | -                              | 100 left, resets in 5 s (Reset - Date)
      200, every reset absurd: the budget has no reset               | 200    | 100       | 1000000000                     | 1000000000000                  | D                             | -                              | 100 left, reset unknown
      200, none left and an absurd reset: closes without reset       | 200    | 0         | 1000000000                     | -                              | -                             | -                              | 0 left, reset unknown
      200, none left: closes until the reset                         | 200    | 0         | 35                             | -                              | -                             | -                              | 0 left, resets in 35 s (Seconds-Remaining)
      200, Retry-After means nothing on a success                    | 200    | 0         | -                              | -                              | -                             | 20                             | 0 left, reset unknown
      200, Remaining alone                                           | 200    | 178       | -                              | -                              | -                             | -                              | 178 left, reset unknown
      200, Remaining 1000000: the largest count believed             | 200    | 1000000   | 35                             | -                              | -                             | -                              | 1000000 left, resets in 35 s (Seconds-Remaining)
      200, Remaining 1000001: absurd                                 | 200    | 1000001   | 35                             | -                              | -                             | -                              | count unknown, resets in 35 s (Seconds-Remaining)
      200, Remaining of 30 digits                                    | 200    | 999999999999999999999999999999 | 35                | -                              | -                             | -                              | count unknown, resets in 35 s (Seconds-Remaining)
      200, Remaining negative                                        | 200    | -1        | 35                             | -                              | -                             | -                              | count unknown, resets in 35 s (Seconds-Remaining)
      200, Remaining fractional                                      | 200    | 1.5       | 35                             | -                              | -                             | -                              | count unknown, resets in 35 s (Seconds-Remaining)
      200, Remaining not a number                                    | 200    | lots      | 35                             | -                              | -                             | -                              | count unknown, resets in 35 s (Seconds-Remaining)
      200, only malformed headers                                    | 200    | lots      | soon                           | tomorrow                       | D                             | -                              | no information
      200, no headers at all                                         | 200    | -         | -                              | -                              | -                             | -                              | no information
      """)
  void headersMean(String row, int status, String remaining, String secondsRemaining, String reset,
      String date, String retryAfter, String meaning) {
    Headers headers = headers(remaining, secondsRemaining, reset, date, retryAfter);
    RateLimitInfo info = RateLimitInfo.from(headers);

    assertEquals(meaning, info.meaning(status == 429, LOCAL).toString(), row);
    Expected expected = Expected.of(meaning);
    assertPublicAccessorsAgree(expected, info, row);
    if (status == 429) assertEngineFollows(expected, headers, row);
    assertGateFollows(status, expected, info, row);
  }

  /** Parsed from the meaning column: what the engine and the gate must do with it. */
  record Expected(String kind, long remaining, long seconds, String source) {
    private static final Pattern WAIT = Pattern.compile("wait (\\d+) s \\((.+)\\)");
    private static final Pattern GIVE_UP = Pattern.compile("give up, retry at \\+(\\d+) s \\((.+)\\)");
    private static final Pattern BUDGET = Pattern.compile("(\\d+ left|count unknown), (resets in (\\d+) s \\((.+)\\)|reset unknown)");

    static Expected of(String meaning) {
      Matcher m;
      if ((m = WAIT.matcher(meaning)).matches()) return new Expected("wait", 0, Long.parseLong(m.group(1)), m.group(2));
      if ((m = GIVE_UP.matcher(meaning)).matches()) {
        return new Expected("give up", 0, Long.parseLong(m.group(1)), m.group(2));
      }
      if (meaning.equals("close without reset")) return new Expected("close", 0, -1, null);
      if (meaning.equals("no information")) return new Expected("nothing", -1, -1, null);
      m = BUDGET.matcher(meaning);
      assertTrue(m.matches(), "unknown meaning: " + meaning);
      long left = m.group(1).equals("count unknown") ? -1 : Long.parseLong(m.group(1).replace(" left", ""));
      return m.group(3) == null ? new Expected("budget", left, -1, null)
          : new Expected("budget", left, Long.parseLong(m.group(3)), m.group(4));
    }

    /** A reset of the window itself (not a 429's Retry-After, not an implausible one). */
    boolean windowReset() {
      return seconds >= 0 && !kind.equals("give up") && !"Retry-After".equals(source);
    }
  }

  /** What users see on an exception agrees: the window's reset only when plausible. */
  private static void assertPublicAccessorsAgree(Expected expected, RateLimitInfo info, String row) {
    assertEquals(expected.windowReset() ? expected.seconds() : -1, info.untilResetSeconds(), row);
    if (!expected.kind().equals("wait") && !expected.kind().equals("give up") && !expected.kind().equals("close")) {
      assertEquals(expected.remaining(), info.remainingOrNegative(), row);
    }
    assertFalse(info.toString().isEmpty());
  }

  /** The engine (GET, first attempt, no deadline, least jitter, default policy) acts on the meaning. */
  private static void assertEngineFollows(Expected expected, Headers headers, String row) {
    RetryEngine engine = RetryEngine.create(RetryPolicy.defaults(), LOCAL, () -> 0.0);
    Outcome outcome = Outcome.response(429, headers);
    Decision decision = engine.decide(RequestInfo.of("GET", URI.create("https://api.assignr.com/api/v2/games"), true),
        1, outcome, Long.MAX_VALUE);
    switch (expected.kind()) {
      case "wait": {
        Duration wait = Duration.ofSeconds(expected.seconds()).plus(MARGIN);
        if (wait.compareTo(CAP) <= 0) {
          Decision.Retry retry = assertInstanceOf(Decision.Retry.class, decision, row);
          assertEquals(wait, retry.delay(), row);
          assertTrue(retry.serverDirected(), row);
        } else {
          Decision.Stop stop = assertInstanceOf(Decision.Stop.class, decision, row);
          assertEquals(StopReason.WAIT_EXCEEDS_CAP, stop.reason(), row);
          assertEquals(LOCAL_NOW.plus(wait), stop.retryAt(), row);
        }
        break;
      }
      case "give up": {
        Decision.Stop stop = assertInstanceOf(Decision.Stop.class, decision, row);
        assertEquals(StopReason.WAIT_EXCEEDS_CAP, stop.reason(), row);
        Instant retryAt;
        try {
          retryAt = LOCAL_NOW.plusSeconds(expected.seconds()).plus(MARGIN);
        } catch (java.time.DateTimeException | ArithmeticException e) {
          retryAt = null; // no Instant holds it: the give-up says so rather than invent one
        }
        assertEquals(retryAt, stop.retryAt(), row);
        break;
      }
      default: { // close without reset: ordinary backoff, 500 ms at the least jitter
        Decision.Retry retry = assertInstanceOf(Decision.Retry.class, decision, row);
        assertEquals(RetryPolicy.defaults().initialBackoff(), retry.delay(), row);
        assertFalse(retry.serverDirected(), row);
      }
    }
  }

  /** The in-process gate, on virtual time at the local clock, learns what the meaning says. */
  private static void assertGateFollows(int status, Expected expected, RateLimitInfo info, String row) {
    VirtualTime time = VirtualTime.manual(LOCAL_NOW);
    GateDriver gate = GateDriver.of(AssignrResilience.builder().timeSource(time).build()
        .gateFor(RequestInfo.of("GET", URI.create("https://api.assignr.com/"), true), "Bearer t"));
    assertEquals(0, gate.tryAcquire(time.nanoTime(), Long.MAX_VALUE), row);
    gate.onResponse(status, info, time.nanoTime());
    GateState state = gate.state();
    int reserve = GatePolicy.defaults().reserve();
    Duration withoutReset = CLOSURE_WITHOUT_RESET.plus(MARGIN);
    switch (expected.kind()) {
      case "wait":
        assertEquals(Duration.ofSeconds(expected.seconds()).plus(MARGIN), state.closedFor(), row);
        break;
      case "give up": // an implausible reset closes no gate for longer than a reset-less 429 does
      case "close":
        assertEquals(withoutReset, state.closedFor(), row);
        break;
      case "nothing":
        assertEquals(Duration.ZERO, state.closedFor(), row);
        assertEquals(-1, state.remaining(), row);
        break;
      default: { // a budget: learned with its reset; at the reserve without one, closed without one
        boolean atReserve = expected.remaining() >= 0 && expected.remaining() <= reserve;
        boolean learned = expected.remaining() >= 0 && expected.seconds() >= 0;
        if (learned) {
          assertEquals(expected.remaining(), state.remaining(), row);
          assertEquals(Duration.ofSeconds(expected.seconds()), state.untilReset(), row);
          assertEquals(atReserve ? Duration.ofSeconds(expected.seconds()).plus(MARGIN) : Duration.ZERO,
              state.closedFor(), row);
        } else if (atReserve) {
          assertEquals(expected.remaining(), state.remaining(), row);
          assertEquals(CLOSURE_WITHOUT_RESET, state.untilReset(), row);
          assertEquals(withoutReset, state.closedFor(), row);
        } else {
          assertEquals(-1, state.remaining(), row);
          assertEquals(Duration.ZERO, state.closedFor(), row);
        }
      }
    }
  }

  // ---------------------------------------------------------------------------------------------

  /** Before: a 429's Retry-After whose nanoseconds overflow a long threw out of the gate, failing the call. */
  @Test
  void noRetryAfterOverflowsTheGatesClosure() {
    for (String retryAfter : List.of("99999999999", "9223372036854775807", "Fri, 31 Dec 9999 23:59:59 GMT")) {
      VirtualTime time = VirtualTime.manual(LOCAL_NOW);
      GateDriver gate = GateDriver.of(AssignrResilience.builder().timeSource(time).build()
          .gateFor(RequestInfo.of("GET", URI.create("https://api.assignr.com/"), true), "Bearer t"));
      gate.tryAcquire(time.nanoTime(), Long.MAX_VALUE);
      gate.onResponse(429, RateLimitInfo.from(Headers.of("Retry-After", retryAfter, "Date", DATE)), time.nanoTime());
      assertEquals(CLOSURE_WITHOUT_RESET.plus(MARGIN), gate.state().closedFor(), retryAfter);
      // the gate is closed now: a 200 some other caller got is learned, not answered
      gate.learn(200, RateLimitInfo.from(Headers.of("X-Ratelimit-Remaining", "0", "Retry-After", retryAfter)),
          time.nanoTime());
    }
  }

  // ---------------------------------------------------------------------------------------------
  // The notation.

  private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME;
  private static final Pattern RELATIVE = Pattern.compile("(@?)D([+-]\\d+)");

  private static Headers headers(String remaining, String secondsRemaining, String reset, String date,
      String retryAfter) {
    List<String> pairs = new ArrayList<>();
    add(pairs, RateLimitInfo.REMAINING, remaining);
    add(pairs, RateLimitInfo.RESET_SECONDS_REMAINING, secondsRemaining);
    add(pairs, RateLimitInfo.RESET, expand(reset));
    add(pairs, RateLimitInfo.DATE, "D".equals(date) ? DATE : date);
    add(pairs, RateLimitInfo.RETRY_AFTER, expand(retryAfter));
    return Headers.of(pairs.toArray(String[]::new));
  }

  private static void add(List<String> pairs, String name, String value) {
    if (value == null) return;
    pairs.add(name);
    pairs.add(value);
  }

  /** {@code D+5} as an epoch second, {@code @D+20} as an HTTP-date; anything else as written. */
  private static String expand(String value) {
    if (value == null) return null;
    Matcher m = RELATIVE.matcher(value);
    if (!m.matches()) return value;
    Instant at = D.plusSeconds(Long.parseLong(m.group(2)));
    return m.group(1).isEmpty() ? Long.toString(at.getEpochSecond()) : HTTP_DATE.format(at.atOffset(ZoneOffset.UTC));
  }
}
