package com.assignr.resilience.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.assignr.resilience.testkit.RateLimitRule;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/**
 * A paged sync of three times the hourly budget on the simulator's compressed (virtual) clock,
 * through the workflows module's paging: every record read exactly once across the resumes, no
 * 429 beyond one per window boundary, elapsed within 5% of the ideal the windows allow. Elapsed is
 * virtual time (the clock the simulator's windows run on), never the wall clock.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HourlySyncTest {
  /** Assignr's three windows, with smaller limits: the hourly one binds (100 an hour; 600 per 5 min would allow more). */
  private static final List<RateLimitRule> WINDOWS = Demo.parseRules(List.of("18/60", "50/300", "100/3600"));
  private static final int BUDGETS = 3;
  private static final long PAGES = 3 * 100;

  private static void assertSyncedOnceNearTheIdeal(HourlySync.Result r, boolean waited) {
    System.out.print((waited ? "[wait in-process] " : "[stop and resume] ") + HourlySync.describe(r, WINDOWS, waited));
    assertEquals(PAGES, r.pages());
    assertEquals(PAGES * 50, r.records());
    assertEquals(PAGES * 50, r.distinctRecords(), "every record read");
    assertEquals(0, r.readTwice(), "no record read twice across resumes");
    assertEquals(PAGES, r.requests() - r.rateLimited(), "no page fetched twice");
    int boundaries = waited ? r.quotaWaits() : r.stops();
    assertTrue(boundaries >= 2, "the sync crossed the hourly window twice: " + r);
    assertTrue(r.rateLimited() <= boundaries, "at most one 429 per boundary: " + r);
    assertTrue(r.elapsed().compareTo(r.ideal()) >= 0, "no run beats the ideal: " + r);
    assertTrue(r.ratio() <= 1.05, "elapsed within 5% of the ideal: " + r);
  }

  @Test
  void aJobThatStopsWithATokenAndIsResumedAtRetryAtReadsEveryRecordOnce() throws Exception {
    assertSyncedOnceNearTheIdeal(HourlySync.run(WINDOWS, BUDGETS, Demo.HOURLY_SITES, "jdk", false, null), false);
  }

  @Test
  void aCursorThatWaitsForRetryAtInProcessReadsEveryRecordOnce() throws Exception {
    assertSyncedOnceNearTheIdeal(HourlySync.run(WINDOWS, BUDGETS, Demo.HOURLY_SITES, "okhttp", true, null), true);
  }

  @Test
  void theDemoFlagRunsIt() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    int code = new CommandLine(new Demo(out)).execute("--hourly-sync", "--adapter", "jdk", "--hourly-budgets", "2");
    String printed = bytes.toString(StandardCharsets.UTF_8);
    assertEquals(0, code, printed);
    assertTrue(printed.contains("200 pages, 10000 games (10000 different, 0 read twice)"), printed);
    assertTrue(printed.contains("stopped by the rate limit"), printed);
    assertTrue(printed.contains("resume at 2026-11-25T13:00"), printed);
  }
}
