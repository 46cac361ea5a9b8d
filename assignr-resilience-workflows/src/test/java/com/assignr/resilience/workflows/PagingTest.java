package com.assignr.resilience.workflows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.assignr.resilience.GatePolicy;
import com.assignr.resilience.InvalidSettingsException;
import com.assignr.resilience.spi.CancellationSignal;
import com.assignr.resilience.testkit.JournalEntry;
import com.assignr.resilience.testkit.RateLimitRule;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Resumable paging against the simulator (random port, virtual time), through the JDK adapter,
 * with Gson as the caller's JSON. The simulator's journal is the oracle: which pages were asked
 * for, how often, and what was answered.
 */
@Timeout(60)
class PagingTest {
  private static final String GAMES = "/api/v2/sites/1/games";
  private SimulatedAssignr assignr;

  @AfterEach
  void close() {
    if (assignr != null) assignr.close();
  }

  /** The caller's side: a GET through the adapter, the page read with Gson. */
  private PageSource<JsonObject> games() {
    return PageSource.of(assignr::get, body -> {
      JsonObject root = JsonParser.parseString(body).getAsJsonObject();
      List<JsonObject> records = new ArrayList<>();
      root.getAsJsonObject("_embedded").getAsJsonArray("games").forEach(g -> records.add(g.getAsJsonObject()));
      JsonObject next = root.getAsJsonObject("_links").getAsJsonObject("next");
      return Page.of(records, next == null ? null : next.get("href").getAsString());
    });
  }

  /** An hourly window of {@code perHour} and nothing else binding; the whole budget usable (reserve 0). */
  private void hourlyWindow(int games, int perHour) {
    assignr = new SimulatedAssignr(1, games, List.of(RateLimitRule.of(perHour, Duration.ofHours(1))),
        GatePolicy.builder().reserve(0).interactiveShare(0).build());
  }

  private List<JournalEntry> pageRequests() {
    return assignr.sim.journal().entries("GET", GAMES);
  }

  private static long id(JsonObject game) {
    return game.get("id").getAsLong();
  }

  @Test
  void followsNextLinksAskingForFiftyAPage() throws IOException {
    assignr = new SimulatedAssignr(1, 120);
    PageCursor<JsonObject> cursor = Paging.builder().timeSource(assignr.time).build()
        .start(assignr.url("/sites/1/games"), games());

    List<Long> ids = cursor.records().map(PagingTest::id).collect(Collectors.toList());

    assertEquals(120, ids.size());
    assertEquals(120, new HashSet<>(ids).size());
    assertTrue(cursor.complete());
    assertEquals(new ResumeToken(null, 3, 120), cursor.token());
    assertEquals(List.of("limit=50", "page=2&limit=50", "page=3&limit=50"),
        pageRequests().stream().map(JournalEntry::query).collect(Collectors.toList()));
    assertNull(cursor.nextPage());
    assertFalse(cursor.hasNext());
  }

  @Test
  void stopsCleanlyWhenTheHourlyWindowBindsAndResumesFromTheSavedTokenWithoutReadingAPageTwice() throws Exception {
    hourlyWindow(500, 4); // ten pages; four an hour
    Paging paging = Paging.builder().timeSource(assignr.time).build(); // maxQuotaWait zero: stop with a token
    List<Long> ids = new ArrayList<>();
    List<Instant> pauses = new ArrayList<>();
    String saved = null;
    int runs = 0;
    do {
      // Each run is a fresh job: it knows only the token string the last one saved.
      PageCursor<JsonObject> cursor = saved == null ? paging.start(assignr.url("/sites/1/games"), games())
          : paging.resume(ResumeToken.parse(saved), games());
      for (Page<JsonObject> page; (page = cursor.nextPage()) != null; ) {
        page.records().forEach(g -> ids.add(id(g)));
      }
      saved = cursor.token().asString();
      runs++;
      if (cursor.paused().isPresent()) {
        QuotaPause pause = cursor.paused().get();
        assertEquals(cursor.token(), pause.token());
        assertNotNull(pause.retryAt());
        assertEquals(0, cursor.quotaWaits());
        pauses.add(pause.retryAt());
        // The scheduler: come back at retryAt (virtual time).
        assignr.time.sleep(Duration.between(assignr.time.instant(), pause.retryAt()).toNanos(), CancellationSignal.NEVER);
      } else {
        assertTrue(cursor.complete());
      }
    } while (!ResumeToken.parse(saved).complete());

    assertEquals(3, runs);
    assertEquals(2, pauses.size());
    assertTrue(pauses.get(0).isAfter(Instant.parse("2026-11-25T12:59:59Z")), pauses.toString());
    assertTrue(pauses.get(1).isAfter(Instant.parse("2026-11-25T13:59:59Z")), pauses.toString());
    assertEquals(500, ids.size());
    assertEquals(500, new HashSet<>(ids).size(), "every game once");
    assertEquals(new ResumeToken(null, 10, 500), ResumeToken.parse(saved));
    List<JournalEntry> answered = pageRequests().stream().filter(e -> e.status() == 200).collect(Collectors.toList());
    assertEquals(10, answered.size(), "every page read once");
    assertEquals(10, answered.stream().map(JournalEntry::query).distinct().count());
    assertTrue(assignr.sim.journal().countStatus(429) <= 2, "at most one 429 per boundary");
  }

  @Test
  void waitsThroughTheHourlyWindowWhenAllowedAndGoesOnWithTheSamePage() throws IOException {
    hourlyWindow(500, 4);
    // An hour and a little: the reset is an hour away plus the gate's safety margin.
    PageCursor<JsonObject> cursor = Paging.builder().maxQuotaWait(Paging.MAX_QUOTA_WAIT).timeSource(assignr.time).build()
        .start(assignr.url("/sites/1/games"), games());

    Set<Long> ids = new HashSet<>();
    cursor.forEachRemaining(page -> page.records().forEach(g -> assertTrue(ids.add(id(g)), "read twice: " + id(g))));

    assertEquals(500, ids.size());
    assertTrue(cursor.complete());
    assertTrue(cursor.paused().isEmpty());
    assertEquals(2, cursor.quotaWaits());
    assertEquals(10, pageRequests().stream().filter(e -> e.status() == 200).count());
    assertTrue(assignr.sim.journal().countStatus(429) <= 2);
    Duration elapsed = assignr.time.elapsed();
    assertTrue(elapsed.compareTo(Duration.ofHours(2)) >= 0, elapsed.toString());
    assertTrue(elapsed.compareTo(Duration.ofHours(2).plusMinutes(1)) < 0, "waited past the reset: " + elapsed);
  }

  @Test
  void aResetFurtherAwayThanAllowedStopsWithTheToken() throws IOException {
    hourlyWindow(500, 4);
    PageCursor<JsonObject> cursor = Paging.builder().maxQuotaWait(Duration.ofMinutes(10)).timeSource(assignr.time)
        .build().start(assignr.url("/sites/1/games"), games());
    int pages = 0;
    while (cursor.hasNext()) {
      cursor.next();
      pages++;
    }
    assertEquals(4, pages);
    assertTrue(cursor.paused().isPresent());
    assertEquals(0, cursor.quotaWaits());
    assertEquals(new ResumeToken(assignr.url("/sites/1/games?page=5&limit=50"), 4, 200), cursor.token());
    assertThrows(java.util.NoSuchElementException.class, cursor::next);
  }

  @Test
  void otherFailuresAreThrownAndTheTokenStillSaysWhereToGoOn() throws IOException {
    assignr = new SimulatedAssignr(1, 200);
    assignr.sim.script().on("GET", GAMES).everyNth(2).respondStatus(404); // not retried by the adapter
    PageCursor<JsonObject> cursor = Paging.builder().timeSource(assignr.time).build()
        .start(assignr.url("/sites/1/games"), games());
    assertNotNull(cursor.nextPage());
    assertThrows(com.assignr.resilience.NotFoundException.class, cursor::nextPage);
    ResumeToken atPage2 = new ResumeToken(assignr.url("/sites/1/games?page=2&limit=50"), 1, 50);
    assertEquals(atPage2, cursor.token());
    assertFalse(cursor.complete());
    // Asking again fetches the same page (the caller decides whether to retry or stop and save the token).
    assertEquals(50, cursor.nextPage().records().size());
    assertEquals(new ResumeToken(assignr.url("/sites/1/games?page=3&limit=50"), 2, 100), cursor.token());
    java.io.UncheckedIOException e = assertThrows(java.io.UncheckedIOException.class, cursor::hasNext);
    assertTrue(e.getCause() instanceof com.assignr.resilience.NotFoundException, e.toString());
    assertEquals(List.of("limit=50", "page=2&limit=50", "page=2&limit=50", "page=3&limit=50"),
        pageRequests().stream().map(JournalEntry::query).collect(Collectors.toList()));
  }

  @Test
  void theTokenIsOneLineThatReadsBackAndBadOnesAreRefusedClearly() {
    ResumeToken token = new ResumeToken("https://api.assignr.com/api/v2/sites/1/games?page=3&limit=50", 2, 100);
    String saved = token.asString();
    assertEquals("assignr-pages:1;pages=2;records=100;next="
        + "https%3A%2F%2Fapi.assignr.com%2Fapi%2Fv2%2Fsites%2F1%2Fgames%3Fpage%3D3%26limit%3D50", saved);
    assertEquals(token, ResumeToken.parse(saved));
    assertEquals(new ResumeToken(null, 7, 321), ResumeToken.parse("assignr-pages:1;pages=7;records=321;next="));
    assertTrue(ResumeToken.parse("assignr-pages:1;pages=7;records=321;next=").complete());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ResumeToken.parse("page 3"));
    assertTrue(e.getMessage().contains("not a resume token"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> ResumeToken.parse("assignr-pages:1;pages=x;records=1;next="));
    assertTrue(e.getMessage().contains("pages must be a whole number, was 'x'"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new ResumeToken(null, -1, 0));
  }

  @Test
  void pageUrlsAlwaysCarryTheSameLimitOfAtMostFifty() {
    assertEquals("https://h/api/v2/sites/1/games?limit=50", Links.withLimit("https://h/api/v2/sites/1/games", 50));
    assertEquals("https://h/g?page=2&limit=50", Links.withLimit("https://h/g?page=2", 50));
    assertEquals("https://h/g?page=2&limit=20", Links.withLimit("https://h/g?page=2&limit=20", 50));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Links.withLimit("https://h/g?limit=100", 50));
    assertTrue(e.getMessage().contains("limit must be between 1 and 50"), e.getMessage());
    assertEquals("https://h/api/v2/sites/1/games?page=2", Links.next("https://h/api/v2/sites/1/games?limit=50",
        "/api/v2/sites/1/games?page=2"));
    assertThrows(IllegalArgumentException.class, () -> Paging.builder().build().start("https://h/g?limit=51", url -> null));
  }

  @Test
  void settingsAreValidatedAtBuildNamingEachProblem() {
    InvalidSettingsException e = assertThrows(InvalidSettingsException.class,
        () -> Paging.builder().limit(51).maxQuotaWait(Duration.ofHours(2)).build());
    assertEquals(2, e.problems().size(), e.getMessage());
    assertTrue(e.getMessage().contains("limit must be between 1 and 50"), e.getMessage());
    assertTrue(e.getMessage().contains("maxQuotaWait must be between 0 and 3660 s"), e.getMessage());
    assertThrows(InvalidSettingsException.class, () -> Paging.builder().maxQuotaWait(Duration.ofSeconds(-1)).build());
    assertEquals(50, Paging.builder().build().limit());
  }
}
