package com.assignr.resilience.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.assignr.resilience.Classification;
import com.assignr.resilience.testkit.AssignrSimulator;
import com.assignr.resilience.testkit.JournalEntry;
import com.assignr.resilience.testkit.RateLimitRule;
import com.assignr.resilience.testkit.RequestJournal;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The demo's job, in process, against the simulator on real time with small windows, through each
 * adapter: what the demo reports must be what the server's journal recorded, and the writes must
 * have landed exactly as the job intended.
 *
 * <p>About 35 requests against 12 per 2 s and 30 per 6 s: both windows bind, so each run takes a
 * few seconds of real waiting (the simulator's windows are real time; nothing here sleeps).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DemoEndToEndTest {
  private static final List<RateLimitRule> RULES =
      List.of(RateLimitRule.of(12, Duration.ofSeconds(2)), RateLimitRule.of(30, Duration.ofSeconds(6)));
  private static final int BURST = 4;
  private static final long SITE = 1;
  private static final int GAMES_PER_SITE = 60;

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"okhttp", "jdk"})
  void summaryMatchesTheJournal(String adapter) throws Exception {
    try (AssignrSimulator sim = DemoSimulator.start(RULES, 2, GAMES_PER_SITE, 7, true)) {
      DemoRun.Target target = new DemoRun.Target(sim.baseUrl(), null, DemoSimulator.credentials(sim),
          sim.sslContext(), sim.trustManager(), RULES);
      DemoJob.Workload workload = new DemoJob.Workload(3, 50, 10, 6, true);
      DemoRun.Summary summary = DemoRun.run(adapter, target, workload, DemoSimulator.burstAndRevoke(sim, BURST),
          new PrintStream(OutputStream.nullOutputStream()), Duration.ofMillis(200));
      RequestJournal journal = sim.journal();
      DemoJob.Result job = summary.job();

      assertEquals(List.of(), job.failures(), () -> "calls that failed for good; the journal:\n" + lines(journal));
      assertEquals(2 * GAMES_PER_SITE, job.gamesSynced());
      assertEquals(12, job.detailsRead());

      // The demo's counts are the server's.
      assertEquals(journal.count(), summary.requests(), "requests: demo vs journal");
      assertEquals(journal.countStatus(429), summary.rateLimited(), "429s: demo vs journal");
      // Every 503 and 500 the server sent was retried, and nothing else was.
      assertEquals(BURST, journal.countStatus(503));
      // Each scripted fault struck a path once, so no call could spend its five attempts on them.
      for (int status : new int[] {500, 503}) {
        Map<String, Long> perPath = journal.entries().stream().filter(e -> e.status() == status)
            .collect(Collectors.groupingBy(JournalEntry::path, Collectors.counting()));
        assertTrue(perPath.values().stream().allMatch(n -> n == 1), status + "s per path: " + perPath);
      }
      assertEquals(journal.countStatus(503), summary.retries(Classification.SERVICE_UNAVAILABLE));
      assertTrue(journal.countStatus(500) > 0, "the script served some 500s");
      assertEquals(journal.countStatus(500), summary.retries(Classification.SERVER_ERROR));
      assertEquals(journal.countStatus(429), summary.retries(Classification.RATE_LIMITED));
      // The library's OAuth tokens: fetched, then renewed once after the revocation's 401s (each
      // 401 resent once, nothing else), and no request went out without a token.
      assertTrue(journal.countStatus(401) >= 1, "the revoked token was refused");
      assertEquals(journal.countStatus(401), summary.retries(Classification.UNAUTHORIZED), "every 401 resent once");
      assertTrue(sim.tokenRequests().size() >= 2, "a first token and a renewal: " + sim.tokenRequests().size());
      assertTrue(journal.entries().stream().allMatch(JournalEntry::authorizationPresent));
      assertTrue(journal.withoutAcceptHeader().isEmpty(), "every request sent Assignr's Accept");

      // The rate limit bound, and no run beats the ideal the windows allow.
      assertTrue(summary.gateClosures() >= 1, "the gate closed at least once");
      assertFalse(summary.ideal().isZero(), "the workload needs more than one window");
      assertTrue(summary.elapsed().compareTo(summary.ideal()) >= 0,
          "elapsed " + summary.elapsed() + " >= ideal " + summary.ideal());

      // The stale PUT: the colleague's save, exactly one 409, then our save with the fresh version.
      assertEquals(1, job.conflicts());
      assertTrue(job.staleEditSaved());
      List<Integer> puts = journal.entries("PUT", "/api/v2/games/" + job.conflictGameId()).stream()
          .map(JournalEntry::status).filter(s -> s != 429 && s != 503 && s != 401).toList();
      assertEquals(List.of(200, 409, 200), puts, "PUTs the server processed, in order");
      assertEquals(2, sim.lockVersion(job.conflictGameId()));

      // Every POST arrived exactly once (429, 503 and 401 answers were refusals, not processing).
      assertEquals(2, job.postPaths().size());
      for (String path : job.postPaths()) {
        List<JournalEntry> processed = journal.entries("POST", path).stream()
            .filter(e -> e.status() != 429 && e.status() != 503 && e.status() != 401).toList();
        assertEquals(1, processed.size(), "POST " + path + " processed once: " + processed);
        assertTrue(processed.get(0).status() / 100 == 2, "POST " + path + " succeeded");
      }
      // The game it created was deleted again.
      assertEquals(1, journal.entries("DELETE", "/api/v2/games/" + job.createdGameId()).stream()
          .filter(e -> e.status() == 204).count());
      assertEquals(GAMES_PER_SITE, sim.gameCount(SITE));
    }
  }

  /** The journal, a line per request, for a failure message. */
  private static String lines(RequestJournal journal) {
    return journal.entries().stream()
        .map(e -> e.arrivedAt() + " " + e.method() + " " + e.pathAndQuery() + " " + e.status())
        .collect(Collectors.joining("\n"));
  }
}
