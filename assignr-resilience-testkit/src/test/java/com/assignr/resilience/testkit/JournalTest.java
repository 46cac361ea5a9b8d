package com.assignr.resilience.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(30)
class JournalTest {

  static final MutableClock CLOCK = MutableClock.at("2025-09-06T10:00:00Z");

  @RegisterExtension
  static final AssignrSimulatorExtension SIM =
      AssignrSimulatorExtension.of(AssignrSimulator.builder().clock(CLOCK));

  private final Http http = Http.plain();

  @Test
  void countsByMethodAndPathPrefixOrRegex() {
    http.get(SIM.baseUrl() + "/sites/1/games?page=2");
    http.get(SIM.baseUrl() + "/games/1001");
    http.get(SIM.baseUrl() + "/games/1002");
    http.put(SIM.baseUrl() + "/games/1001", "{}");

    RequestJournal journal = SIM.journal();
    assertEquals(4, journal.count());
    assertEquals(3, journal.count("GET", "/api/v2/"));
    assertEquals(2, journal.count("GET", "/api/v2/games/\\d+"));
    assertEquals(3, journal.count(null, "/api/v2/games"));
    assertEquals(1, journal.count("GET", "/api/v2/sites/1/games?page=2"));
    assertEquals(1, journal.countStatus(422));
    JournalEntry first = journal.entries().get(0);
    assertEquals("/api/v2/sites/1/games", first.path());
    assertEquals("page=2", first.query());
    assertEquals(1, first.sequence());
    assertEquals(200, first.status());
    assertEquals(4, SIM.simulator().stats().totalRequests());
  }

  @Test
  void recordsAcceptAndAuthorizationButNeverTheToken() {
    http.get(SIM.baseUrl() + "/sites");
    http.send(HttpRequest.newBuilder(URI.create(SIM.baseUrl() + "/sites"))
        .header("Authorization", "Bearer " + Http.TOKEN).header("Accept", "application/json")
        .GET().build());
    http.send(HttpRequest.newBuilder(URI.create(SIM.baseUrl() + "/sites")).GET().build());

    List<JournalEntry> entries = SIM.journal().entries();
    assertTrue(entries.get(0).acceptHeaderValid());
    assertTrue(entries.get(0).authorizationPresent());
    assertFalse(entries.get(1).acceptHeaderValid());
    assertEquals(200, entries.get(1).status(), "a wrong Accept is recorded, not refused");
    assertFalse(entries.get(2).authorizationPresent());
    assertEquals(401, entries.get(2).status());
    assertEquals(2, SIM.journal().withoutAcceptHeader().size());
    assertFalse(entries.toString().contains(Http.TOKEN));
  }

  @Test
  void arrivalTimesComeFromTheInjectedClock() {
    Instant start = CLOCK.instant();
    http.get(SIM.baseUrl() + "/sites");
    CLOCK.advance(Duration.ofSeconds(30));
    http.get(SIM.baseUrl() + "/sites");
    http.get(SIM.baseUrl() + "/sites");
    CLOCK.advance(Duration.ofSeconds(30));
    http.get(SIM.baseUrl() + "/sites");

    assertEquals(start, SIM.journal().entries().get(0).arrivedAt());
    assertEquals(2, SIM.journal()
        .requestsArrivedBetween(start.plusSeconds(30), start.plusSeconds(60)).size());
    assertEquals(3, SIM.journal().requestsArrivedBetween(start, start.plusSeconds(60)).size());
    SIM.journal().reset();
    assertEquals(0, SIM.journal().count());
    assertEquals(4, SIM.simulator().stats().totalRequests(), "stats survive a journal reset");
  }

  @Test
  void aSimulatorResetNumbersFromOneAgain_aJournalResetKeepsCounting() {
    http.get(SIM.baseUrl() + "/sites");
    http.get(SIM.baseUrl() + "/sites");
    SIM.simulator().reset();
    http.get(SIM.baseUrl() + "/sites");
    assertEquals(List.of(1L), SIM.journal().entries().stream().map(JournalEntry::sequence).toList(),
        "reset() restores the freshly started state, numbering included");

    SIM.journal().reset();
    http.get(SIM.baseUrl() + "/sites");
    assertEquals(List.of(2L), SIM.journal().entries().stream().map(JournalEntry::sequence).toList(),
        "the journal's own reset forgets the entries only");
  }

  @Test
  void otherPathsFallThroughToWireMockStubs() {
    SIM.simulator().wireMock().stubFor(com.github.tomakehurst.wiremock.client.WireMock
        .post("/oauth/token").willReturn(com.github.tomakehurst.wiremock.client.WireMock
            .okJson("{\"access_token\":\"t\",\"expires_in\":7200}")));
    String root = SIM.baseUrl().replace("/api/v2", "");
    assertEquals(200, http.post(root + "/oauth/token", "").statusCode());
    assertEquals(0, SIM.journal().count(), "not an API request");
  }
}
