package com.assignr.resilience.examples;

import com.assignr.resilience.AssignrResilience;
import com.assignr.resilience.GatePolicy;
import com.assignr.resilience.spi.CancellationSignal;
import com.assignr.resilience.testkit.AssignrSimulator;
import com.assignr.resilience.testkit.RateLimitRule;
import com.assignr.resilience.testkit.VirtualTime;
import com.assignr.resilience.workflows.Page;
import com.assignr.resilience.workflows.PageCursor;
import com.assignr.resilience.workflows.PageSource;
import com.assignr.resilience.workflows.Paging;
import com.assignr.resilience.workflows.QuotaPause;
import com.assignr.resilience.workflows.ResumeToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The demo's {@code --hourly-sync} mode: a sync bigger than the hourly window, on the simulator's
 * compressed clock, with the workflows module's {@link Paging}.
 *
 * <p>The job reads every page of games of every site, 50 to a page, {@code budgets} times what the
 * hourly rule allows. The simulator and the library share one {@link VirtualTime}: every wait
 * (the gate's, the job's) moves the clock at once, so hours of windows pass in seconds, and the
 * windows, resets and {@code retryAt} are exactly those of a real run.
 *
 * <p>By default the job is the kind a scheduler runs: when the adapters give up with {@code
 * retryAt} (the window binds and the wait is beyond their cap), the cursor stops cleanly, the job
 * saves its state — the site it was on and the cursor's token, as one string — and exits; the
 * "scheduler" starts a fresh job at {@code retryAt}, which resumes from the saved string. With
 * {@code waitInProcess} the cursor waits until {@code retryAt} itself instead.
 *
 * <p>The whole budget is the job's (gate reserve 0), so the ideal is that of {@link IdealTime}: all
 * of every window used, nothing waited past a reset.
 */
final class HourlySync {
  /**
   * What the sync did, as the simulator's journal and the virtual clock saw it.
   *
   * @param pages pages delivered
   * @param records records delivered
   * @param distinctRecords different records among them
   * @param readTwice records delivered more than once (0 when the token works)
   * @param requests requests the simulator received
   * @param rateLimited 429s among them
   * @param stops times the job stopped with a token (0 when waiting in-process)
   * @param quotaWaits times a cursor waited in-process for {@code retryAt}
   * @param elapsed virtual time from the first request to the last page
   * @param ideal the least time the windows allow for the requests they counted
   */
  record Result(long pages, long records, long distinctRecords, long readTwice, long requests, long rateLimited,
      int stops, int quotaWaits, Duration elapsed, Duration ideal) {
    /** @return elapsed / ideal */
    double ratio() {
      return ideal.isZero() ? 1.0 : (double) elapsed.toMillis() / ideal.toMillis();
    }
  }

  private HourlySync() {}

  /**
   * Runs the sync.
   *
   * @param rules the windows, the longest one binding (e.g. 18/60, 50/300, 100/3600)
   * @param budgets how many times the longest window's limit the sync needs, in pages
   * @param sites sites to spread the pages over
   * @param adapter "okhttp" or "jdk"
   * @param waitInProcess wait for {@code retryAt} in the cursor rather than stop and resume
   * @param out progress lines, or null
   */
  static Result run(List<RateLimitRule> rules, int budgets, int sites, String adapter, boolean waitInProcess,
      PrintStream out) throws Exception {
    RateLimitRule hourly = rules.stream().max((a, b) -> a.period().compareTo(b.period())).orElseThrow();
    long totalPages = hourly.limit() * budgets;
    int pagesPerSite = (int) ((totalPages + sites - 1) / sites);
    int gamesPerSite = pagesPerSite * Paging.MAX_LIMIT;
    VirtualTime time = VirtualTime.autoAdvancing();
    Instant start = time.instant();
    try (AssignrSimulator sim = AssignrSimulator.builder().clock(time.clock()).rateLimits(rules).sites(sites)
        .gamesPerSite(gamesPerSite).https(true).token("hourly-sync-token").start()) {
      AssignrResilience resilience = AssignrResilience.builder().timeSource(time).throwOnFailure(true)
          .gate(GatePolicy.builder().reserve(0).interactiveShare(0).build()).build();
      ObjectMapper mapper = new ObjectMapper();
      Paging paging = Paging.builder().timeSource(time)
          .maxQuotaWait(waitInProcess ? Paging.MAX_QUOTA_WAIT : Duration.ZERO).build();
      Map<Long, Integer> seen = new HashMap<>();
      AtomicInteger fetched = new AtomicInteger();
      long pages = 0;
      int stops = 0;
      int waits = 0;
      try (AssignrApi api = adapter.equals("okhttp")
          ? new OkHttpApi(resilience, "Bearer hourly-sync-token", sim.sslContext(), sim.trustManager(), mapper)
          : new JdkApi(resilience, "Bearer hourly-sync-token", sim.sslContext(), mapper)) {
        PageSource<JsonNode> games = DemoJob.collection(api, "games", fetched, null);
        // The job's saved state between runs: the site it is on and its cursor's token, as strings.
        int site = 1;
        String token = null;
        while (site <= sites) {
          PageCursor<JsonNode> cursor = token == null
              ? paging.start(sim.baseUrl() + "/sites/" + site + "/games", games)
              : paging.resume(ResumeToken.parse(token), games);
          for (Page<JsonNode> page; (page = cursor.nextPage()) != null; ) {
            pages++;
            for (JsonNode game : page.records()) seen.merge(game.path("id").asLong(), 1, Integer::sum);
          }
          waits += cursor.quotaWaits();
          if (cursor.paused().isPresent()) {
            QuotaPause pause = cursor.paused().get();
            token = cursor.token().asString();
            stops++;
            if (out != null) {
              out.printf("  [%8s] site %d: stopped by the rate limit after %d pages of %d; resume at %s from %s%n",
                  clock(time, start), site, pages, totalPages, pause.retryAt(), token);
            }
            // The scheduler starts the next run at retryAt (virtual time passes at once).
            time.sleep(Math.max(0, Duration.between(time.instant(), pause.retryAt()).toNanos()), CancellationSignal.NEVER);
            continue;
          }
          token = null;
          site++;
        }
      }
      Duration elapsed = Duration.between(start, time.instant());
      long requests = sim.journal().count();
      long rateLimited = sim.journal().countStatus(429);
      long records = seen.values().stream().mapToLong(Integer::longValue).sum();
      long twice = seen.values().stream().filter(n -> n > 1).count();
      return new Result(pages, records, seen.size(), twice, requests, rateLimited, stops, waits, elapsed,
          IdealTime.of(rules, requests - rateLimited, start));
    }
  }

  private static String clock(VirtualTime time, Instant start) {
    long s = Duration.between(start, time.instant()).toSeconds();
    return String.format("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
  }

  /** The summary lines the demo prints. */
  static String describe(Result r, List<RateLimitRule> rules, boolean waitInProcess) {
    return String.format("Hourly sync (%s, virtual clock): %d pages, %d games (%d different, %d read twice);"
            + " %d requests, %d x 429; %s; elapsed %s against an ideal of %s (x%.4f).%n",
        Demo.describe(rules), r.pages(), r.records(), r.distinctRecords(), r.readTwice(), r.requests(),
        r.rateLimited(), waitInProcess ? r.quotaWaits() + " waits for retryAt in-process"
            : r.stops() + " stops with a resume token, each resumed by a fresh job at retryAt",
        human(r.elapsed()), human(r.ideal()), r.ratio());
  }

  private static String human(Duration d) {
    long s = d.toSeconds();
    return String.format("%dh%02dm%02d.%03ds", s / 3600, s / 60 % 60, s % 60, d.toMillisPart());
  }
}
