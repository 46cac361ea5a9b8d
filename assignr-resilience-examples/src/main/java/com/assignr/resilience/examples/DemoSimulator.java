package com.assignr.resilience.examples;

import com.assignr.resilience.oauth.AssignrOAuth;
import com.assignr.resilience.oauth.Credentials;
import com.assignr.resilience.oauth.TokenTransport;
import com.assignr.resilience.testkit.AssignrSimulator;
import com.assignr.resilience.testkit.RateLimitRule;
import java.net.http.HttpClient;
import java.time.Duration;
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
 *
 * <p>Each fault strikes a path once, so a call meets at most one 500, one 503 and the 401 of the
 * token revocation (plus what the rate limit adds): its five attempts suffice however the
 * workers interleave. Left to chance, one read drew two 503s, the 401 and two 500s in CI.
 */
final class DemoSimulator {
  private DemoSimulator() {}

  /**
   * @param rules the windows (e.g. 60/10 s and 150/30 s)
   * @param errorEvery every how many game reads answer 500; 0 for none
   */
  static AssignrSimulator start(List<RateLimitRule> rules, int sites, int gamesPerSite, int errorEvery) {
    return start(rules, sites, gamesPerSite, errorEvery, false);
  }

  /**
   * As {@link #start(List, int, int, int)}, with Assignr's OAuth token endpoint when {@code oauth}:
   * the API then accepts only tokens it issued, short-lived ones (the single-process demo; the
   * fleet demo's instances send fixed tokens).
   */
  static AssignrSimulator start(List<RateLimitRule> rules, int sites, int gamesPerSite, int errorEvery,
      boolean oauth) {
    AssignrSimulator.Builder builder = AssignrSimulator.builder()
        .rateLimits(rules)
        .sites(sites)
        .gamesPerSite(gamesPerSite)
        .https(true);
    if (oauth) {
      builder.oauthClient(CLIENT_ID, CLIENT_SECRET).tokenLifetime(TOKEN_LIFETIME).requireIssuedTokens(true);
    }
    AssignrSimulator sim = builder.start();
    if (errorEvery > 0) {
      // Once per path: each fault is one that a retry clears, however the workers interleave.
      // (Without it a retry could draw the next Nth read again, and the next: five 500s in a row.)
      sim.script().on("GET", "/api/v2/games/\\d+").everyNth(errorEvery).oncePerPath().respondStatus(500);
      sim.script().on("GET", "/api/v2/sites/\\d+/games").everyNth(5).oncePerPath().respondStatus(500);
    }
    return sim;
  }

  /** The demo's OAuth client on the simulator's token endpoint. */
  static final String CLIENT_ID = "demo-client";
  static final String CLIENT_SECRET = "demo-secret";
  /**
   * Short-lived (Assignr's last two hours; the library accepts no less than 30 s): renewed in the
   * background at half its life on longer runs; every run also sees a renewal forced by a 401.
   */
  static final Duration TOKEN_LIFETIME = Duration.ofSeconds(60);

  /**
   * The library's token source for the simulator's token endpoint (client credentials over the
   * simulator's self-signed HTTPS), as a real integration would configure it for Assignr's.
   */
  static Credentials credentials(AssignrSimulator sim) {
    HttpClient tokenClient = HttpClient.newBuilder().sslContext(sim.sslContext()).build();
    return AssignrOAuth.builder().clientId(CLIENT_ID).clientSecret(CLIENT_SECRET).scope("read write")
        .tokenUri(sim.tokenUri()).transport(TokenTransport.jdk(tokenClient)).build();
  }

  /**
   * When the details phase starts: the 503 burst, and every token Assignr issued so far revoked,
   * so the next calls get a 401, the library renews the token once and sends them again.
   */
  static Runnable burstAndRevoke(AssignrSimulator sim, int burst) {
    Runnable burstNow = burst(sim, burst);
    return () -> {
      burstNow.run();
      sim.expireAllTokens();
    };
  }

  /** The 503 burst, to run when the details phase starts: the next requests of {@code burst} paths. */
  static Runnable burst(AssignrSimulator sim, int burst) {
    return () -> {
      if (burst > 0) sim.script().next(burst).oncePerPath().respondStatus(503);
    };
  }
}
