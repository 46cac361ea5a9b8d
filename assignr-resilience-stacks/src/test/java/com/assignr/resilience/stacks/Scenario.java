package com.assignr.resilience.stacks;

import com.assignr.resilience.testkit.AssignrSimulator;
import com.assignr.resilience.testkit.ScriptedResponse;

/**
 * One write and what happens to it, with the number of arrivals at the simulator the rules allow:
 * once, except after a 429 or a 503 (Assignr refused it, so it is sent again) — the rules of
 * README's "What happens on each status". Every scenario first pools a connection with a GET, so
 * the write goes out on a reused keep-alive connection, where OkHttp's own replay happens.
 */
enum Scenario {
  POST("POST", 1, 1, "created"),
  STALE_PUT("PUT", 1, 0, "409"),
  POST_AFTER_500("POST", 1, 0, "500"),
  POST_AFTER_429("POST", 2, 1, "created"),
  /** Issue 18: an absurd Seconds-Remaining (10^9) beside a plausible Reset (Date + 3 s) is waited out. */
  POST_AFTER_429_ABSURD_SECONDS("POST", 2, 1, "created"),
  POST_AFTER_503("POST", 2, 1, "created"),
  POST_PROCESSED_THEN_CLOSED("POST", 1, 1, "failed"),
  POST_PROCESSED_THEN_RESET("POST", 1, 1, "failed"),
  /** Every arrival of the POST is processed and its answer lost (closed): a replay never helps. */
  POST_EVERY_ANSWER_LOST("POST", 1, 1, "failed");

  static final String GAMES = "/api/v2/sites/1/games";
  static final long GAME_ID = 1001;
  static final String GAME = "/api/v2/games/" + GAME_ID;
  static final String NEW_GAME = "{\"game\":{\"date\":\"2026-12-01\",\"start_time\":\"09:00\","
      + "\"home_team\":\"Hawks\",\"away_team\":\"Owls\"}}";
  static final String RESET_SECONDS = "X-Ratelimit-Reset-Seconds-Remaining";

  final String method;
  /** How many times the write may reach the simulator. */
  final int allowedArrivals;
  /** How many games it may create. */
  final int gamesCreated;
  /** What the caller should end up with: "created", a status, or "failed" (an exception). */
  final String expected;

  Scenario(String method, int allowedArrivals, int gamesCreated, String expected) {
    this.method = method;
    this.allowedArrivals = allowedArrivals;
    this.gamesCreated = gamesCreated;
    this.expected = expected;
  }

  /** The path the write goes to, under the API base ({@code /sites/1/games}). */
  String apiPath() {
    return (method.equals("PUT") ? GAME : GAMES).substring("/api/v2".length());
  }

  /** The journal path the arrivals are counted at. */
  String journalPath() {
    return method.equals("PUT") ? GAME : GAMES;
  }

  /** The body: a new game, or an edit of game 1001 with a {@code lock_version} someone else already moved past. */
  String body(AssignrSimulator sim) {
    if (!method.equals("PUT")) return NEW_GAME;
    long stale = sim.lockVersion(GAME_ID) + 3;
    return "{\"game\":{\"lock_version\":" + stale + ",\"date\":\"2026-12-02\",\"start_time\":\"10:00\"}}";
  }

  /** Scripts the fault on the write's path (not on the warm-up GET). */
  void script(AssignrSimulator sim) {
    var on = sim.script().on(method, journalPath()).next(1);
    switch (this) {
      case POST_AFTER_500 -> on.respondStatus(500);
      case POST_AFTER_429 -> on.respond(ScriptedResponse.status(429).header(RESET_SECONDS, "3"));
      case POST_AFTER_429_ABSURD_SECONDS -> on.respond(ScriptedResponse.status(429).header(RESET_SECONDS, "1000000000")
          .header("X-Ratelimit-Reset", Long.toString(sim.clock().instant().getEpochSecond() + 3)));
      case POST_AFTER_503 -> on.respondStatus(503);
      case POST_PROCESSED_THEN_CLOSED -> on.processThenClose();
      case POST_PROCESSED_THEN_RESET -> on.processThenReset();
      case POST_EVERY_ANSWER_LOST -> sim.script().on(method, journalPath()).always().processThenClose();
      default -> { }
    }
  }
}
