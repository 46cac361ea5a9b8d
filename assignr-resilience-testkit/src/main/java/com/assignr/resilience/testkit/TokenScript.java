package com.assignr.resilience.testkit;

import com.assignr.resilience.testkit.internal.ScriptStore;
import com.github.tomakehurst.wiremock.http.Fault;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Scripts failures of the simulated OAuth token endpoint ({@link AssignrSimulator#tokenUri()}),
 * so a client's token source can be tested against them.
 *
 * <pre>{@code
 * sim.tokenScript().serverError(2);                           // the next 2 token requests: 500
 * sim.tokenScript().next(1).delay(Duration.ofSeconds(3));     // slow
 * sim.tokenScript().next(1).invalidClient();                  // 400 {"error":"invalid_client"}
 * sim.tokenScript().everyNth(3).malformed(MalformedTokenResponse.EXPIRES_IN_MISSING);
 * sim.tokenScript().next(1).fault(Fault.CONNECTION_RESET_BY_PEER);
 * }</pre>
 *
 * <p>Semantics as in {@link FaultScript}, for the one endpoint: rules are visited in the order
 * they were added; every firing delay adds its delay; the first firing other rule decides. A
 * scripted status, {@link Trigger#invalidClient()}, a scripted response or a fault is served
 * without looking at the request (no token is issued); {@link Trigger#malformed
 * malformed(...)} lets the request be checked as usual and changes only a successful answer.
 * Scripted delays are real time.
 */
public final class TokenScript {

  private final ScriptStore store;
  private final Clock clock;

  TokenScript(ScriptStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  /**
   * The next {@code n} token requests.
   *
   * @param n at least 1
   * @return a trigger to give an action
   */
  public Trigger next(int n) {
    positive("n", n);
    return new Trigger(ScriptStore.Kind.NEXT, n, 0, 0);
  }

  /**
   * Every {@code n}th token request that reaches the rule.
   *
   * @param n at least 1
   * @return a trigger
   */
  public Trigger everyNth(int n) {
    positive("n", n);
    return new Trigger(ScriptStore.Kind.EVERY_NTH, n, 0, 0);
  }

  /**
   * Token requests from now until {@code span} has passed on the simulator clock.
   *
   * @param span positive
   * @return a trigger
   */
  public Trigger during(Duration span) {
    if (span.isNegative() || span.isZero()) {
      throw new IllegalArgumentException("span must be positive, was " + span);
    }
    return new Trigger(ScriptStore.Kind.UNTIL, clock.millis() + span.toMillis(), 0, 0);
  }

  /**
   * Each token request with probability {@code p}, from a {@code Random(seed)}.
   *
   * @param p in [0, 1]
   * @param seed random seed
   * @return a trigger
   */
  public Trigger withProbability(double p, long seed) {
    if (!(p >= 0 && p <= 1)) {
      throw new IllegalArgumentException("p must be in [0, 1], was " + p);
    }
    return new Trigger(ScriptStore.Kind.PROBABILITY, 0, p, seed);
  }

  /**
   * Every token request until {@link #clear()}.
   *
   * @return a trigger
   */
  public Trigger always() {
    return new Trigger(ScriptStore.Kind.ALWAYS, 0, 0, 0);
  }

  /**
   * The next {@code n} token requests get {@code 500} with {@code {"error":"server_error"}}.
   *
   * @param n at least 1
   * @return this script
   */
  public TokenScript serverError(int n) {
    return next(n).serverError();
  }

  /**
   * Delays the answers to the next {@code n} token requests (real time).
   *
   * @param delay positive
   * @param n at least 1
   * @return this script
   */
  public TokenScript delay(Duration delay, int n) {
    return next(n).delay(delay);
  }

  /**
   * The next {@code n} valid token requests get an answer with {@code defect}.
   *
   * @param defect what is wrong with the answer
   * @param n at least 1
   * @return this script
   */
  public TokenScript malformed(MalformedTokenResponse defect, int n) {
    return next(n).malformed(defect);
  }

  /**
   * Rules not yet used up.
   *
   * @return the number of active rules
   */
  public int pending() {
    return store.pending();
  }

  /** Drops every rule. */
  public void clear() {
    store.clear();
  }

  private static ScriptedResponse oauthError(int status, String error, String description) {
    return ScriptedResponse.status(status)
        .header("Content-Type", "application/json; charset=utf-8")
        .header("Cache-Control", "no-store")
        .body("{\"error\":\"" + error + "\",\"error_description\":\"" + description + "\"}");
  }

  /** A trigger awaiting its action. */
  public final class Trigger {
    private final ScriptStore.Kind kind;
    private final long amount;
    private final double probability;
    private final long seed;

    private Trigger(ScriptStore.Kind kind, long amount, double probability, long seed) {
      this.kind = kind;
      this.amount = amount;
      this.probability = probability;
      this.seed = seed;
    }

    /**
     * {@code 500} with {@code {"error":"server_error"}}; no token is issued.
     *
     * @return the script, for chaining
     */
    public TokenScript serverError() {
      return respondStatus(500);
    }

    /**
     * This status with an OAuth error body: {@code temporarily_unavailable} for 503,
     * {@code server_error} for other 5xx, {@code invalid_request} otherwise. No token is issued.
     *
     * @param status 400 to 599
     * @return the script, for chaining
     */
    public TokenScript respondStatus(int status) {
      if (status < 400 || status > 599) {
        throw new IllegalArgumentException("status must be 400..599, was " + status);
      }
      String error = status == 503 ? "temporarily_unavailable"
          : status >= 500 ? "server_error" : "invalid_request";
      return respond(oauthError(status, error, "Scripted error " + status));
    }

    /**
     * {@code 400} with {@code {"error":"invalid_client"}}, whatever credentials were sent (a
     * real wrong secret gets {@code 401}; some servers answer 400). No token is issued.
     *
     * @return the script, for chaining
     */
    public TokenScript invalidClient() {
      return respond(oauthError(400, "invalid_client", "Client authentication failed"));
    }

    /**
     * Serves any response; the simulator adds only a {@code Date} header (the token endpoint has
     * no rate-limit headers). No token is issued.
     *
     * @param response the response
     * @return the script, for chaining
     */
    public TokenScript respond(ScriptedResponse response) {
      return add(new ScriptStore.Respond(Objects.requireNonNull(response, "response")));
    }

    /**
     * Breaks the connection with a WireMock fault instead of answering; no token is issued.
     *
     * @param fault the fault
     * @return the script, for chaining
     */
    public TokenScript fault(Fault fault) {
      return add(new ScriptStore.Inject(Objects.requireNonNull(fault, "fault")));
    }

    /**
     * Checks the request as usual and, if it earns a token, answers with {@code defect}.
     *
     * @param defect what is wrong with the answer
     * @return the script, for chaining
     */
    public TokenScript malformed(MalformedTokenResponse defect) {
      return add(new ScriptStore.Malformed(Objects.requireNonNull(defect, "defect")));
    }

    /**
     * Delays whatever answer is served (real time), e.g. to test a token source's timeout.
     *
     * @param delay positive
     * @return the script, for chaining
     */
    public TokenScript delay(Duration delay) {
      if (delay.isNegative() || delay.isZero()) {
        throw new IllegalArgumentException("delay must be positive, was " + delay);
      }
      return add(new ScriptStore.Delay(delay.toMillis()));
    }

    private TokenScript add(ScriptStore.Action action) {
      store.add(null, null, kind, amount, probability, seed, false, action);
      return TokenScript.this;
    }
  }

  private static void positive(String name, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " must be at least 1, was " + value);
    }
  }
}
