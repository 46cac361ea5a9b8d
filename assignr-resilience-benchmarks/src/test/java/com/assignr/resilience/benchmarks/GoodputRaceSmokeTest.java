package com.assignr.resilience.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.assignr.resilience.testkit.RateLimitRule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The race in miniature (30 GETs, windows of 1 s and 3 s), so it cannot rot: it must run every
 * strategy and write the CSV and the chart. Nothing about the numbers is asserted: they are
 * measurements, and this machine is shared.
 */
@Timeout(120)
class GoodputRaceSmokeTest {
  @TempDir Path out;

  @Test
  void raceWritesOneCsvRowPerStrategyAndTheChart() throws Exception {
    RaceSettings settings = new RaceSettings(30, 4,
        List.of(RateLimitRule.of(10, Duration.ofSeconds(1)), RateLimitRule.of(25, Duration.ofSeconds(3))),
        Duration.ofSeconds(30), Duration.ofSeconds(1), out, 0, Duration.ofMillis(1000),
        Duration.ofMillis(1000), Duration.ofMillis(20));

    List<RaceResult> results = GoodputRace.run(settings, Arrays.asList(RaceStrategy.values()));

    List<String> csv = Files.readAllLines(out.resolve("goodput.csv"));
    assertEquals("strategy,requests,succeeded,http429,attempts,makespan_s,ideal_s", csv.get(0));
    assertEquals(Arrays.stream(RaceStrategy.values()).map(s -> s.label).collect(Collectors.toList()),
        csv.stream().skip(1).map(line -> line.split(",")[0]).collect(Collectors.toList()));
    for (String line : csv.subList(1, csv.size())) {
      assertEquals(7, line.split(",").length, line);
    }
    assertTrue(Files.size(out.resolve("goodput.png")) > 0);
    assertEquals(RaceStrategy.values().length, results.size());
    System.out.println(GoodputRace.table(settings, results));
  }

  @Test
  void idealScheduleFollowsBothRulesInTurn() {
    List<RateLimitRule> rules =
        List.of(RateLimitRule.of(60, Duration.ofSeconds(20)), RateLimitRule.of(150, Duration.ofSeconds(60)));
    Instant minute = Instant.ofEpochSecond(1_800_000_000L - 1_800_000_000L % 60);
    assertEquals(0.0, IdealSchedule.idealSeconds(rules, minute, 60));
    assertEquals(20.0, IdealSchedule.idealSeconds(rules, minute, 61));
    assertEquals(40.0, IdealSchedule.idealSeconds(rules, minute, 150));
    assertEquals(60.0, IdealSchedule.idealSeconds(rules, minute, 151)); // the 60 s rule bound at 40 s
    assertEquals(100.0, IdealSchedule.idealSeconds(rules, minute, 280));
    assertEquals(5.0, IdealSchedule.idealSeconds(rules, minute.plusSeconds(15), 61));
    assertEquals(5, IdealSchedule.windowsCrossed(rules, minute, 100.5));
  }
}
