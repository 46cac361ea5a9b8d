package com.assignr.resilience.testkit;

import static com.assignr.resilience.testkit.Http.header;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.http.Fault;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(30)
class FaultScriptTest {

  static final MutableClock CLOCK = MutableClock.at("2025-09-06T10:00:00Z");

  @RegisterExtension
  static final AssignrSimulatorExtension SIM = AssignrSimulatorExtension.of(
      AssignrSimulator.builder().clock(CLOCK)
          .rateLimits(RateLimitRule.of(100, Duration.ofSeconds(60))));

  private final Http http = Http.plain();

  private static String games() {
    return SIM.baseUrl() + "/sites/1/games";
  }

  private List<Integer> statuses(int n) {
    List<Integer> statuses = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      statuses.add(http.get(games()).statusCode());
    }
    return statuses;
  }

  @Test
  void a503BurstThenSuccess() {
    SIM.script().serviceUnavailable(3);
    assertEquals(List.of(503, 503, 503, 200), statuses(4));
    HttpResponse<String> ok = http.get(games());
    assertEquals("95", header(ok, "X-Ratelimit-Remaining"), "scripted 503s count");
    assertEquals(0, SIM.script().pending());
    assertEquals(3, SIM.simulator().stats().serverErrors());
  }

  @Test
  void anOutageForATimeSpanOnTheInjectedClock() {
    SIM.script().serviceUnavailableFor(Duration.ofSeconds(10));
    assertEquals(List.of(503, 503), statuses(2));
    CLOCK.advance(Duration.ofMillis(9_999));
    assertEquals(503, http.get(games()).statusCode());
    CLOCK.advance(Duration.ofMillis(1));
    assertEquals(200, http.get(games()).statusCode());
  }

  @Test
  void serverErrorsEveryNthAndSeededAreReproducible() {
    SIM.script().serverErrorEvery(3);
    assertEquals(List.of(200, 200, 500, 200, 200, 500), statuses(6));
    SIM.script().clear();

    SIM.script().serverErrors(0.3, 42L);
    List<Integer> first = statuses(20);
    SIM.simulator().reset();
    SIM.script().serverErrors(0.3, 42L);
    assertEquals(first, statuses(20));
    assertTrue(first.contains(500) && first.contains(200), first.toString());
  }

  @Test
  void aOncePerPathRuleStrikesEachPathOnce_andPassesItsRepeatsByUncounted() {
    SIM.script().on("GET", "/api/v2/games/\\d+").everyNth(2).oncePerPath().respondStatus(500);
    String one = SIM.baseUrl() + "/games/1001";
    String two = SIM.baseUrl() + "/games/1002";
    List<Integer> statuses = new ArrayList<>();
    for (String url : List.of(one, one, one, one, two, two, one, two)) statuses.add(http.get(url).statusCode());
    // 1: seen 1; 1: seen 2, fires; 1, 1: passed by; 2: seen 3; 2: seen 4, fires; 1, 2: passed by.
    assertEquals(List.of(200, 500, 200, 200, 200, 500, 200, 200), statuses);

    SIM.script().clear();
    SIM.script().next(2).oncePerPath().respondStatus(503);
    statuses.clear();
    for (String url : List.of(one, one, two, one)) statuses.add(http.get(url).statusCode());
    assertEquals(List.of(503, 200, 503, 200), statuses, "a burst of two strikes two paths");
    assertEquals(0, SIM.script().pending());
  }

  @Test
  void connectionResetSurfacesAsIOExceptionAndIsNotCounted() {
    SIM.script().fault(Fault.CONNECTION_RESET_BY_PEER, 1).fault(Fault.EMPTY_RESPONSE, 1);
    // POSTs: java.net.http may silently resend an idempotent request once after such a failure.
    assertThrows(IOException.class, () -> http.sendOrThrow(confirm()));
    assertThrows(IOException.class, () -> http.sendOrThrow(confirm()));
    HttpResponse<String> ok = http.get(games());
    assertEquals(200, ok.statusCode());
    assertEquals("99", header(ok, "X-Ratelimit-Remaining"), "faults never reached the API");
    List<JournalEntry> entries = SIM.journal().entries();
    assertEquals(Fault.CONNECTION_RESET_BY_PEER, entries.get(0).fault());
    assertEquals(0, entries.get(0).status());
    assertEquals(2, SIM.simulator().stats().connectionFaults());
  }

  private java.net.http.HttpRequest confirm() {
    return http.request(SIM.baseUrl() + "/assignments/10011/confirm")
        .POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build();
  }

  @Test
  void malformedChunkAndRandomDataBreakTheResponse() {
    SIM.script().fault(Fault.MALFORMED_RESPONSE_CHUNK, 1).fault(Fault.RANDOM_DATA_THEN_CLOSE, 1);
    assertThrows(IOException.class, () -> http.sendOrThrow(confirm()));
    assertThrows(IOException.class, () -> http.sendOrThrow(confirm()));
    assertEquals(200, http.get(games()).statusCode());
  }

  @Test
  void aOneOff429WithAMalformedResetHeader() {
    SIM.script().respond(ScriptedResponse.status(429)
        .header("X-Ratelimit-Reset-Seconds-Remaining", "soon")
        .withoutHeader("X-Ratelimit-Reset")
        .body("{\"error\":[{\"message\":\"slow down\"}]}"));

    HttpResponse<String> r = http.get(games());
    assertEquals(429, r.statusCode());
    assertEquals("soon", header(r, "X-Ratelimit-Reset-Seconds-Remaining"));
    assertEquals(null, header(r, "X-Ratelimit-Reset"));
    assertEquals("0", header(r, "X-Ratelimit-Remaining"));
    assertEquals("60", header(r, "X-Ratelimit-Period"));
    assertEquals("{\"error\":[{\"message\":\"slow down\"}]}", r.body());
    HttpResponse<String> next = http.get(games());
    assertEquals(200, next.statusCode());
    assertEquals("99", header(next, "X-Ratelimit-Remaining"), "a scripted 429 consumes nothing");
    assertEquals(1, SIM.simulator().stats().rateLimited());
  }

  @Test
  void aLarge503Body() {
    SIM.script().respond(ScriptedResponse.status(503).bodyOfSize(5 * 1024 * 1024));
    HttpResponse<String> r = http.get(games());
    assertEquals(503, r.statusCode());
    assertEquals(5 * 1024 * 1024, r.body().length());
  }

  @Test
  void rulesScopedByMethodAndPathAndDelays() {
    SIM.script().on("PUT", "/api/v2/games/\\d+").next(1).respondStatus(500)
        .on("GET", "/api/v2/current_account").next(1).delay(Duration.ofMillis(150));

    assertEquals(200, http.get(games()).statusCode(), "not a PUT");
    assertEquals(500, http.put(SIM.baseUrl() + "/games/1001",
        "{\"lock_version\":0,\"date\":\"2025-09-07\",\"start_time\":\"11:00\"}").statusCode());
    long start = System.nanoTime();
    assertEquals(200, http.get(SIM.baseUrl() + "/current_account").statusCode());
    assertTrue(System.nanoTime() - start >= Duration.ofMillis(150).toNanos());
    JournalEntry delayed = SIM.journal().last().orElseThrow();
    assertEquals(150, delayed.delayMillis());
    assertEquals(false, delayed.scripted(), "a delay alone leaves the answer to the API model");
    assertEquals(0, SIM.script().pending());
  }
}
