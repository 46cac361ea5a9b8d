package com.assignr.resilience.examples;

import com.assignr.resilience.testkit.AssignrSimulator;
import com.assignr.resilience.testkit.RateLimitRule;
import java.util.List;

/**
 * The embedded Assignr the demo runs against by default: the testkit's simulator on HTTPS, with
 * time-compressed windows and a scripted bad day.
 *
 * <ul>
 *   <li>every {@code errorEvery}-th read of a game, and every 5th page of games, answers 500
 *       (GETs are idempotent, so they are retried with backoff);
 *   <li>when the details phase starts, the next {@code burst} requests, whatever they are, get
 *       503: an outage the library rides out with backoff (POSTs too: a 503 was not processed).
 * </ul>
 */
final class DemoSimulator {
  private DemoSimulator() {}

  /**
   * @param rules the windows (e.g. 60/10 s and 150/30 s)
   * @param errorEvery every how many game reads answer 500; 0 for none
   */
  static AssignrSimulator start(List<RateLimitRule> rules, int sites, int gamesPerSite, int errorEvery) {
    AssignrSimulator sim = AssignrSimulator.builder()
        .rateLimits(rules)
        .sites(sites)
        .gamesPerSite(gamesPerSite)
        .https(true)
        .start();
    if (errorEvery > 0) {
      sim.script().on("GET", "/api/v2/games/\\d+").everyNth(errorEvery).respondStatus(500);
      sim.script().on("GET", "/api/v2/sites/\\d+/games").everyNth(5).respondStatus(500);
    }
    return sim;
  }

  /** The 503 burst, to run when the details phase starts. */
  static Runnable burst(AssignrSimulator sim, int burst) {
    return () -> {
      if (burst > 0) sim.script().serviceUnavailable(burst);
    };
  }
}
