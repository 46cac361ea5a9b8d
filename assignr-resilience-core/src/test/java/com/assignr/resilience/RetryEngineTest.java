package com.assignr.resilience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.DoubleSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class RetryEngineTest {
  static final Instant NOW = Instant.parse("2017-03-24T20:47:25Z");
  static final String DATE = "Fri, 24 Mar 2017 20:47:25 GMT";
  static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  static final DoubleSupplier MIN = () -> 0.0;
  static final DoubleSupplier MAX = () -> Math.nextDown(1.0);
  static final long NO_DEADLINE = Long.MAX_VALUE;

  static RetryEngine engine(DoubleSupplier random) {
    return RetryEngine.create(RetryPolicy.defaults(), CLOCK, random);
  }

  static RequestInfo request(String method) {
    return RequestInfo.of(method, URI.create("https://api.assignr.com/api/v2/games/1"), true);
  }

  static Outcome status(int status, String... headers) {
    return Outcome.response(status, Headers.of(headers));
  }

  @ParameterizedTest(name = "{0} {1} -> {2}")
  @CsvSource({
      "GET,  200, SUCCEEDED",       "POST, 200, SUCCEEDED",
      "GET,  201, SUCCEEDED",       "POST, 201, SUCCEEDED",
      "GET,  204, SUCCEEDED",       "POST, 204, SUCCEEDED",
      "GET,  302, NOT_RETRYABLE",   "POST, 302, NOT_RETRYABLE",
      "GET,  400, NOT_RETRYABLE",   "POST, 400, NOT_RETRYABLE",
      "GET,  401, NOT_RETRYABLE",   "POST, 401, NOT_RETRYABLE",
      "GET,  402, NOT_RETRYABLE",   "POST, 402, NOT_RETRYABLE",
      "GET,  403, NOT_RETRYABLE",   "POST, 403, NOT_RETRYABLE",
      "GET,  404, NOT_RETRYABLE",   "POST, 404, NOT_RETRYABLE",
      "GET,  409, NOT_RETRYABLE",   "POST, 409, NOT_RETRYABLE",
      "PUT,  409, NOT_RETRYABLE",
      "GET,  422, NOT_RETRYABLE",   "POST, 422, NOT_RETRYABLE",
      "GET,  429, RETRY",           "POST, 429, RETRY",
      "GET,  500, RETRY",           "POST, 500, NOT_IDEMPOTENT",
      "PUT,  500, RETRY",           "DELETE, 500, RETRY",   "PATCH, 500, NOT_IDEMPOTENT",
      "GET,  502, RETRY",           "POST, 502, NOT_IDEMPOTENT",
      "GET,  503, RETRY",           "POST, 503, RETRY",
  })
  void everySeedStatusForGetAndPost(String method, int status, String expected) {
    Decision decision = engine(MIN).decide(request(method), 1,
        status(status, "X-Ratelimit-Reset-Seconds-Remaining", "10"), NO_DEADLINE);
    assertEquals(expected, name(decision));
  }

  @ParameterizedTest(name = "{0} with {1} -> {2}")
  @CsvSource({
      "GET,  CONNECT_FAILURE, RETRY",  "POST, CONNECT_FAILURE, RETRY",
      "GET,  IO_FAILURE,      RETRY",  "POST, IO_FAILURE,      NOT_IDEMPOTENT",
      "GET,  CANCELLED,       CANCELLED", "POST, CANCELLED,    CANCELLED",
  })
  void failuresWithoutAResponse(String method, Classification cls, String expected) {
    Decision decision = engine(MIN).decide(request(method), 1, Outcome.failure(new IOException("x"), cls), NO_DEADLINE);
    assertEquals(expected, name(decision));
  }

  static Stream<Arguments> rateLimitHeaders() {
    return Stream.of(
        Arguments.of("seconds-remaining only", List.of("X-Ratelimit-Reset-Seconds-Remaining", "35"), 36_000),
        Arguments.of("reset epoch with Date", List.of("X-Ratelimit-Reset", "1490388480", "Date", DATE), 36_000),
        Arguments.of("Retry-After delta", List.of("Retry-After", "20"), 21_000),
        Arguments.of("Retry-After date", List.of("Retry-After", "Fri, 24 Mar 2017 20:48:05 GMT", "Date", DATE), 41_000),
        Arguments.of("no headers: backoff", List.of(), 500),
        Arguments.of("malformed: backoff", List.of("X-Ratelimit-Reset-Seconds-Remaining", "soon"), 500),
        Arguments.of("negative: backoff", List.of("X-Ratelimit-Reset-Seconds-Remaining", "-35"), 500),
        Arguments.of("past reset: backoff", List.of("X-Ratelimit-Reset", "1490388000", "Date", DATE), 500));
  }

  /**
   * Before: any reset over a day was treated as absent, so the call backed off and sent four more
   * requests into the refused window, then reported ATTEMPTS_EXHAUSTED without a retryAt.
   */
  @ParameterizedTest(name = "429 with a reset {0} s away gives up at once with retryAt")
  @ValueSource(longs = {66, 3000, 86_401, 1_000_000_000L, 1_000_000_000_000L})
  void a429WhoseResetIsBeyondTheCapGivesUpAtOnceHoweverFar(long seconds) {
    Outcome outcome = status(429, "X-Ratelimit-Reset-Seconds-Remaining", String.valueOf(seconds));
    Decision.Stop stop = assertInstanceOf(Decision.Stop.class,
        engine(MIN).decide(request("GET"), 1, outcome, NO_DEADLINE));
    assertEquals(StopReason.WAIT_EXCEEDS_CAP, stop.reason());
    assertNotNull(stop.retryAt(), "the instant a retry would succeed");
    assertEquals(CLOCK.instant().plusSeconds(seconds).plus(RetryPolicy.defaults().rateLimitMargin()), stop.retryAt());
  }

  /**
   * Issue 18's regression: one absurd header made every adapter give up at once although another
   * named a reset a few seconds away. A value no {@code long} holds is malformed, not far.
   */
  @ParameterizedTest(name = "429 with Seconds-Remaining \"{0}\" and Reset = Date + 5 s waits for the Reset")
  @ValueSource(strings = {"1000000000", "86401", "999999999999999999999999999999"})
  void anAbsurdSecondsRemainingDoesNotOutvoteAPlausibleReset(String absurd) {
    Outcome outcome = status(429, "X-Ratelimit-Reset-Seconds-Remaining", absurd,
        "X-Ratelimit-Reset", "1490388450", "Date", DATE);
    Decision.Retry retry = assertInstanceOf(Decision.Retry.class,
        engine(MIN).decide(request("GET"), 1, outcome, NO_DEADLINE));
    assertEquals(Duration.ofSeconds(6), retry.delay(), "Reset - Date (5 s) + margin (1 s)");
    assertTrue(retry.serverDirected());
  }

  @ParameterizedTest(name = "429 with {0}: waits {2} ms at the least jitter")
  @MethodSource("rateLimitHeaders")
  void rateLimitedWaitsForTheResetPlusMargin(String name, List<String> headers, long expectedMillis) {
    Outcome outcome = status(429, headers.toArray(String[]::new));
    Decision.Retry retry = assertInstanceOf(Decision.Retry.class,
        engine(MIN).decide(request("POST"), 1, outcome, NO_DEADLINE));
    assertEquals(Duration.ofMillis(expectedMillis), retry.delay());
    assertEquals(Classification.RATE_LIMITED, retry.cause());
  }

  @ParameterizedTest(name = "429 with {0}: never before the reset at the greatest jitter")
  @MethodSource("rateLimitHeaders")
  void jitterIsPositiveOnlySoARetryNeverLandsBeforeTheReset(String name, List<String> headers, long leastMillis) {
    Outcome outcome = status(429, headers.toArray(String[]::new));
    Decision.Retry atMax = (Decision.Retry) engine(MAX).decide(request("GET"), 1, outcome, NO_DEADLINE);
    Decision.Retry atMin = (Decision.Retry) engine(MIN).decide(request("GET"), 1, outcome, NO_DEADLINE);
    if (atMin.serverDirected()) {
      // Server-directed: the jitter spreads callers over [reset + margin, reset + margin + 1 s).
      assertEquals(Duration.ofMillis(leastMillis), atMin.delay());
      assertTrue(atMax.delay().compareTo(atMin.delay()) > 0, "jitter spreads callers");
      assertTrue(atMax.delay().compareTo(Duration.ofMillis(leastMillis + 1000)) < 0, atMax.delay().toString());
    } else {
      // Backoff: jitter takes the top half off, never more.
      assertTrue(atMax.delay().compareTo(Duration.ofMillis(250)) >= 0, atMax.delay().toString());
    }
  }

  @Test
  void aWaitPastTheCapGivesUpAtOnceWithTheInstantARetryWouldSucceed() {
    Decision.Stop stop = assertInstanceOf(Decision.Stop.class, engine(MIN).decide(request("GET"), 1,
        status(429, "X-Ratelimit-Reset-Seconds-Remaining", "3000"), NO_DEADLINE));
    assertEquals(StopReason.WAIT_EXCEEDS_CAP, stop.reason());
    assertEquals(NOW.plusSeconds(3001), stop.retryAt());
  }

  @Test
  void theSixtySecondWindowIsWaitedOutButNotTheHourlyOne() {
    assertInstanceOf(Decision.Retry.class, engine(MAX).decide(request("GET"), 1,
        status(429, "X-Ratelimit-Reset-Seconds-Remaining", "60"), NO_DEADLINE));
    assertInstanceOf(Decision.Stop.class, engine(MIN).decide(request("GET"), 1,
        status(429, "X-Ratelimit-Reset-Seconds-Remaining", "3599"), NO_DEADLINE));
  }

  @Test
  void theJitterIsClippedToTheCapNeverTheWaitItself() {
    RetryEngine engine = RetryEngine.create(RetryPolicy.builder().maxServerWait(Duration.ofSeconds(36)).build(), CLOCK, MAX);
    Decision.Retry retry = (Decision.Retry) engine.decide(request("GET"), 1,
        status(429, "X-Ratelimit-Reset-Seconds-Remaining", "35"), NO_DEADLINE);
    assertEquals(Duration.ofSeconds(36), retry.delay());
  }

  @Test
  void aWaitPastTheDeadlineGivesUpAtOnceWithTheRetryInstant() {
    Decision.Stop stop = assertInstanceOf(Decision.Stop.class, engine(MIN).decide(request("GET"), 1,
        status(429, "X-Ratelimit-Reset-Seconds-Remaining", "35"), Duration.ofSeconds(10).toNanos()));
    assertEquals(StopReason.DEADLINE_EXCEEDED, stop.reason());
    assertEquals(NOW.plusSeconds(36), stop.retryAt());
  }

  @Test
  void backoffGrowsExponentiallyAndIsCapped() {
    RetryEngine engine = RetryEngine.create(RetryPolicy.builder().maxAttempts(20).build(), CLOCK, MIN);
    long[] expectedMillis = {500, 1000, 2000, 4000, 8000, 16000, 30000, 30000};
    for (int attempt = 1; attempt <= expectedMillis.length; attempt++) {
      Decision.Retry retry = (Decision.Retry) engine.decide(request("GET"), attempt, status(503), NO_DEADLINE);
      assertEquals(Duration.ofMillis(expectedMillis[attempt - 1]), retry.delay(), "attempt " + attempt);
      assertEquals(false, retry.serverDirected());
    }
  }

  @Test
  void backoffJitterTakesAtMostTheConfiguredFractionOff() {
    Decision.Retry retry = (Decision.Retry) engine(MAX).decide(request("GET"), 3, status(503), NO_DEADLINE);
    assertTrue(retry.delay().compareTo(Duration.ofMillis(1000)) >= 0 && retry.delay().compareTo(Duration.ofMillis(2000)) < 0,
        retry.delay().toString());
  }

  @Test
  void retryAfterOnA503IsAFloorUnderTheBackoff() {
    Decision.Retry retry = (Decision.Retry) engine(MIN).decide(request("GET"), 1, status(503, "Retry-After", "5"), NO_DEADLINE);
    assertEquals(Duration.ofSeconds(5), retry.delay());
    assertTrue(retry.serverDirected());
    Decision.Retry small = (Decision.Retry) engine(MIN).decide(request("GET"), 4, status(503, "Retry-After", "1"), NO_DEADLINE);
    assertEquals(Duration.ofSeconds(4), small.delay(), "the backoff wins when it is longer");
  }

  @Test
  void a503AskingForMoreThanTheCapGivesUp() {
    Decision.Stop stop = (Decision.Stop) engine(MIN).decide(request("GET"), 1, status(503, "Retry-After", "600"), NO_DEADLINE);
    assertEquals(StopReason.WAIT_EXCEEDS_CAP, stop.reason());
    assertEquals(NOW.plusSeconds(600), stop.retryAt());
  }

  /** Before: 30 digits saturated and were believed; the call gave up with a retryAt 146 years away. */
  @Test
  void a503RetryAfterNoLongHoldsIsMalformedSoTheBackoffApplies() {
    Decision.Retry retry = assertInstanceOf(Decision.Retry.class, engine(MIN).decide(request("GET"), 1,
        status(503, "Retry-After", "999999999999999999999999999999"), NO_DEADLINE));
    assertEquals(Duration.ofMillis(500), retry.delay());
    assertEquals(false, retry.serverDirected());
  }

  /** Before: any Retry-After past ~292 years of nanoseconds was reported as 146 years away. */
  @Test
  void aFarButWellFormed503RetryAfterGivesUpWithItsOwnInstant() {
    Decision.Stop stop = (Decision.Stop) engine(MIN).decide(request("GET"), 1,
        status(503, "Retry-After", "1000000000000"), NO_DEADLINE);
    assertEquals(StopReason.WAIT_EXCEEDS_CAP, stop.reason());
    assertEquals(NOW.plusSeconds(1_000_000_000_000L), stop.retryAt());
  }

  @Test
  void aOneShotBodyIsNeverReplayed() {
    RequestInfo oneShot = new RequestInfo("PUT", "https", "api.assignr.com", "/api/v2/games/1", false);
    Decision.Stop stop = (Decision.Stop) engine(MIN).decide(oneShot, 1, status(503), NO_DEADLINE);
    assertEquals(StopReason.BODY_NOT_REPLAYABLE, stop.reason());
    Decision.Stop connect = (Decision.Stop) engine(MIN).decide(oneShot, 1,
        Outcome.failure(new ConnectException(), Classification.CONNECT_FAILURE), NO_DEADLINE);
    assertEquals(StopReason.BODY_NOT_REPLAYABLE, connect.reason());
  }

  @Test
  void attemptsAreCountedAgainstTheMaximum() {
    assertInstanceOf(Decision.Retry.class, engine(MIN).decide(request("GET"), 4, status(503), NO_DEADLINE));
    Decision.Stop stop = (Decision.Stop) engine(MIN).decide(request("GET"), 5, status(503), NO_DEADLINE);
    assertEquals(StopReason.ATTEMPTS_EXHAUSTED, stop.reason());
  }

  @Test
  void rulesCanBeOverriddenPerStatusAndPerClass() {
    RetryPolicy policy = RetryPolicy.builder()
        .retryRule(502, RetryRule.ALWAYS)
        .retryRule(429, RetryRule.NEVER)
        .retryRule(Classification.IO_FAILURE, RetryRule.NEVER)
        .build();
    RetryEngine engine = RetryEngine.create(policy, CLOCK, MIN);
    assertEquals("RETRY", name(engine.decide(request("POST"), 1, status(502), NO_DEADLINE)));
    assertEquals("NOT_IDEMPOTENT", name(engine.decide(request("POST"), 1, status(500), NO_DEADLINE)));
    assertEquals("NOT_RETRYABLE", name(engine.decide(request("GET"), 1, status(429), NO_DEADLINE)));
    assertEquals("NOT_RETRYABLE", name(engine.decide(request("GET"), 1,
        Outcome.failure(new IOException(), Classification.IO_FAILURE), NO_DEADLINE)));
  }

  @Test
  void nonIdempotentRetriesAreAnExplicitOptIn() {
    RetryEngine engine = RetryEngine.create(RetryPolicy.builder().retryNonIdempotent(true).build(), CLOCK, MIN);
    assertEquals("RETRY", name(engine.decide(request("POST"), 1, status(500), NO_DEADLINE)));
  }

  private static String name(Decision decision) {
    return decision instanceof Decision.Retry ? "RETRY" : ((Decision.Stop) decision).reason().name();
  }
}
