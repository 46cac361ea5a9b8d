package com.assignr.resilience.testkit;

import static com.assignr.resilience.testkit.Http.header;
import static com.assignr.resilience.testkit.Http.longHeader;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class RateLimitWindowsTest {

  /** 10:00:00 UTC is a multiple of 60, 300 and 3600 seconds since the epoch. */
  private static final String TEN_O_CLOCK = "2025-09-06T10:00:00Z";
  private final Http http = Http.plain();
  private AssignrSimulator sim;

  @AfterEach
  void stop() {
    if (sim != null) {
      sim.close();
    }
  }

  private String games() {
    return sim.baseUrl() + "/sites/1/games";
  }

  private String account() {
    return sim.baseUrl() + "/current_account";
  }

  @Test
  void the180thRequestSucceedsThe181stIs429UntilTheMinuteResets() {
    MutableClock clock = MutableClock.at(TEN_O_CLOCK);
    sim = AssignrSimulator.builder().clock(clock).start();

    for (int i = 1; i <= 179; i++) {
      assertEquals(200, http.get(account()).statusCode(), "request " + i);
    }
    clock.advance(Duration.ofSeconds(40));
    HttpResponse<String> r180 = http.get(account());
    assertEquals(200, r180.statusCode());
    assertEquals("0", header(r180, "X-Ratelimit-Remaining"));

    HttpResponse<String> r181 = http.get(account());
    assertEquals(429, r181.statusCode());
    assertEquals("180", header(r181, "X-Ratelimit-Limit"));
    assertEquals("60", header(r181, "X-Ratelimit-Period"));
    assertEquals("0", header(r181, "X-Ratelimit-Remaining"));
    assertEquals("20", header(r181, "X-Ratelimit-Reset-Seconds-Remaining"));
    assertEquals(Instant.parse("2025-09-06T10:01:00Z").getEpochSecond(),
        longHeader(r181, "X-Ratelimit-Reset"));
    assertNull(header(r181, "Retry-After"), "Assignr sends no Retry-After by default");
    assertEquals("application/vnd.assignr.v2.hal+json; charset=utf-8",
        header(r181, "Content-Type"));

    clock.advance(Duration.ofMillis(19_999));
    assertEquals(429, http.get(account()).statusCode(), "one millisecond before the reset");
    clock.advance(Duration.ofMillis(1));
    HttpResponse<String> after = http.get(account());
    assertEquals(200, after.statusCode(), "at the reset");
    assertEquals("179", header(after, "X-Ratelimit-Remaining"));
    assertEquals(181, sim.stats().admitted());
    assertEquals(2, sim.stats().rateLimited());
  }

  @Test
  void headersOfTheFirstRequestInAnAlignedHourDescribeTheMinuteRule() {
    MutableClock clock = MutableClock.at(TEN_O_CLOCK);
    sim = AssignrSimulator.builder().clock(clock).start();

    HttpResponse<String> r = http.get(games());

    assertEquals(200, r.statusCode());
    assertEquals("180", header(r, "X-Ratelimit-Limit"));
    assertEquals("60", header(r, "X-Ratelimit-Period"));
    assertEquals("179", header(r, "X-Ratelimit-Remaining"));
    assertEquals("60", header(r, "X-Ratelimit-Reset-Seconds-Remaining"));
    assertEquals("Sat, 06 Sep 2025 10:00:00 GMT", header(r, "Date"));
  }

  @Test
  void secondsRemainingIsRoundedDownAndResetIsDatePlusSecondsRemainingWhenAligned() {
    MutableClock clock = MutableClock.at("2025-09-06T10:00:30.900Z");
    sim = AssignrSimulator.builder().clock(clock).start();

    HttpResponse<String> r = http.get(games());
    assertEquals("29", header(r, "X-Ratelimit-Reset-Seconds-Remaining"), "29.1 s rounds down");

    clock.set(Instant.parse("2025-09-06T10:00:25Z"));
    HttpResponse<String> aligned = http.get(games());
    Instant date = ZonedDateTime.parse(header(aligned, "Date"),
        DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
    assertEquals(clock.instant(), date, "Date follows the injected clock");
    assertEquals(date.getEpochSecond() + longHeader(aligned, "X-Ratelimit-Reset-Seconds-Remaining"),
        longHeader(aligned, "X-Ratelimit-Reset"));
    assertEquals(35, longHeader(aligned, "X-Ratelimit-Reset-Seconds-Remaining"));
  }

  @Test
  void theFiveMinuteRuleIsReportedWhenItHasFewerLeftThanTheMinuteRule() {
    MutableClock clock = MutableClock.at(TEN_O_CLOCK);
    sim = AssignrSimulator.builder().clock(clock)
        .rateLimits(RateLimitRule.of(10, Duration.ofSeconds(60)),
            RateLimitRule.of(15, Duration.ofSeconds(300)))
        .start();

    for (int i = 0; i < 8; i++) {
      HttpResponse<String> r = http.get(games());
      assertEquals("60", header(r, "X-Ratelimit-Period"), "request " + i + " minute rule binds");
    }
    clock.advance(Duration.ofSeconds(60));
    HttpResponse<String> r = http.get(games());

    // 60 s rule: 9 left; 300 s rule: 15 - 9 = 6 left.
    assertEquals("15", header(r, "X-Ratelimit-Limit"));
    assertEquals("300", header(r, "X-Ratelimit-Period"));
    assertEquals("6", header(r, "X-Ratelimit-Remaining"));
    assertEquals("240", header(r, "X-Ratelimit-Reset-Seconds-Remaining"));
    assertEquals(Instant.parse("2025-09-06T10:05:00Z").getEpochSecond(),
        longHeader(r, "X-Ratelimit-Reset"));
  }

  @Test
  void tiesAreReportedAsTheShortestPeriod() {
    MutableClock clock = MutableClock.at(TEN_O_CLOCK);
    sim = AssignrSimulator.builder().clock(clock)
        .rateLimits(RateLimitRule.of(10, Duration.ofSeconds(300)),
            RateLimitRule.of(10, Duration.ofSeconds(60)))
        .start();

    HttpResponse<String> r = http.get(games());

    assertEquals("60", header(r, "X-Ratelimit-Period"));
    assertEquals("9", header(r, "X-Ratelimit-Remaining"));
  }

  @Test
  void a429ConsumesNoQuotaButEveryOtherResponseDoes() {
    MutableClock clock = MutableClock.at(TEN_O_CLOCK);
    sim = AssignrSimulator.builder().clock(clock)
        .rateLimits(RateLimitRule.of(2, Duration.ofSeconds(60)),
            RateLimitRule.of(3, Duration.ofSeconds(300)))
        .start();

    HttpRequest noAuth = HttpRequest.newBuilder(java.net.URI.create(account())).GET().build();
    assertEquals(401, http.send(noAuth).statusCode(), "counts");
    assertEquals(404, http.get(sim.baseUrl() + "/games/999999").statusCode(), "counts");
    for (int i = 0; i < 5; i++) {
      assertEquals(429, http.get(games()).statusCode(), "does not count");
    }
    clock.advance(Duration.ofSeconds(60));
    HttpResponse<String> last = http.get(games());
    assertEquals(200, last.statusCode(), "the five 429s did not eat the 300 s quota");
    assertEquals("3", header(last, "X-Ratelimit-Limit"));
    assertEquals("300", header(last, "X-Ratelimit-Period"));
    assertEquals("0", header(last, "X-Ratelimit-Remaining"));
    HttpResponse<String> refused = http.get(games());
    assertEquals(429, refused.statusCode());
    assertEquals("300", header(refused, "X-Ratelimit-Period"));
    assertEquals("240", header(refused, "X-Ratelimit-Reset-Seconds-Remaining"));
    assertEquals(3, sim.stats().admitted());
    assertEquals(6, sim.stats().rateLimited());
  }

  @Test
  void compressedWindowsAndOptionalRetryAfter() {
    MutableClock clock = MutableClock.at("2025-09-06T10:00:01.500Z");
    sim = AssignrSimulator.builder().clock(clock)
        .rateLimits(RateLimitRule.of(20, Duration.ofSeconds(2)))
        .retryAfter(true)
        .start();

    for (int i = 0; i < 20; i++) {
      assertEquals(200, http.get(games()).statusCode());
    }
    HttpResponse<String> refused = http.get(games());
    assertEquals(429, refused.statusCode());
    assertEquals("2", header(refused, "X-Ratelimit-Period"));
    assertEquals("0", header(refused, "X-Ratelimit-Reset-Seconds-Remaining"), "0.5 s rounds down");
    assertEquals("1", header(refused, "Retry-After"), "Retry-After rounds up");
    clock.advance(Duration.ofMillis(500));
    assertEquals(200, http.get(games()).statusCode());
  }

  @Test
  void withoutRulesThereAreNoLimitsAndNoHeaders() {
    sim = AssignrSimulator.builder().rateLimits(List.of()).start();
    HttpResponse<String> r = http.get(games());
    assertEquals(200, r.statusCode());
    assertNull(header(r, "X-Ratelimit-Limit"));
  }

  @Test
  void rulesAndBuilderValuesAreValidated() {
    assertThrows(IllegalArgumentException.class, () -> RateLimitRule.of(0, Duration.ofSeconds(1)));
    assertThrows(IllegalArgumentException.class,
        () -> RateLimitRule.of(5, Duration.ofMillis(1500)));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> AssignrSimulator.builder().defaultPageSize(51).build());
    assertEquals("defaultPageSize must be in [1, 50], was 51", e.getMessage());
  }
}
