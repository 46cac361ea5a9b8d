package com.assignr.resilience.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fleet race in miniature (2 JVMs × 2 threads per strategy, 16 GETs, a 10 per 2 s window, the
 * loaded variant: the web app's traffic plus one busy loop), so it cannot rot: it must start Redis,
 * the busy loops and the worker JVMs, run every strategy and write the CSV and the chart. The
 * numbers are measurements, not asserted, except that the workers did the job.
 */
@Timeout(180)
class FleetRaceSmokeTest {
  @TempDir Path out;

  @Test
  void everyStrategyRunsInSeparateJvms_andTheOutputsAreWritten() throws Exception {
    FleetRace.Settings settings = new FleetRace.Settings(2, 2, 16, "10/2", Duration.ofSeconds(30), 1000,
        List.of("loaded"), Arrays.asList(FleetStrategy.values()), out, 50, true, 1);

    List<FleetRace.Row> rows = FleetRace.run(settings);
    System.out.println(FleetRace.table(settings, rows));

    List<String> csv = Files.readAllLines(out.resolve("fleet.csv"));
    assertEquals(FleetStrategy.values().length + 1, csv.size());
    assertTrue(csv.get(0).startsWith("variant,strategy,jvms,threads,requests,succeeded,http429"), csv.get(0));
    assertTrue(csv.get(0).endsWith(",busy_loops"), csv.get(0));
    for (String row : csv.subList(1, csv.size())) {
      assertTrue(row.startsWith("loaded,") && row.endsWith(",1"), row);
    }
    for (FleetRace.Row r : rows) {
      assertEquals(16, r.race().succeeded(), r.race().strategy() + ": " + r.race().failures());
      assertTrue(r.admissionMicros().length > 0, r.race().strategy() + " measured its admissions");
      assertTrue(r.webAppRequests() + r.webAppRefused() > 0, r.race().strategy() + ": the web app ran beside the loops");
    }
    assertTrue(Files.size(out.resolve("fleet-loaded.png")) > 0);
  }
}
