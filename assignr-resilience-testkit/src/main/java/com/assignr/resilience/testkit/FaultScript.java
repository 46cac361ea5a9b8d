package com.assignr.resilience.testkit;

import com.assignr.resilience.testkit.internal.ScriptStore;
import com.github.tomakehurst.wiremock.http.Fault;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Scripts outages, errors, connection faults, delays and arbitrary one-off responses.
 *
 * <pre>{@code
 * sim.script().serviceUnavailable(3);                      // the next 3 requests get 503
 * sim.script().serviceUnavailableFor(Duration.ofSeconds(10)); // 503 for 10 s of simulator time
 * sim.script().serverErrorEvery(10);                       // every 10th request gets 500
 * sim.script().fault(Fault.CONNECTION_RESET_BY_PEER, 1);   // the next request: reset
 * sim.script().respond(ScriptedResponse.status(429)
 *     .header("X-Ratelimit-Reset-Seconds-Remaining", "soon")); // the next request
 * sim.script().on("PUT", "/api/v2/games/\\d+").next(2).delay(Duration.ofMillis(300));
 * sim.script().on("GET", null).withProbability(0.05, 42L).respond(ScriptedResponse.status(500));
 * sim.script().on("POST", "/api/v2/sites/\\d+/games").next(1).processThenReset(); // created, answer lost
 * sim.script().on("GET", null).everyNth(5).truncateBody();  // half a body, then close
 * }</pre>
 *
 * <h2>Semantics</h2>
 *
 * <p>Rules are kept in the order they were added. For each request under {@code /api/v2} the
 * rules whose method and path match are visited in order: each firing delay rule adds its delay;
 * the first firing response or fault rule decides the response, and later rules do not see that
 * request. A rule's trigger counts the matching requests that reach it. Without a firing rule the
 * API model answers as usual.
 *
 * <h2>Faults before and after processing</h2>
 *
 * <p>{@link Trigger#fault(Fault)} breaks the connection <em>instead of</em> processing: the API
 * never sees the request (a lost request). {@link Trigger#processThenClose()},
 * {@link Trigger#processThenReset()} and {@link Trigger#truncateBody()} break it <em>after</em>
 * processing: the simulator answers as it would (rate limiter, authentication, API model — a
 * {@code POST /sites/{id}/games} creates its game), then the client gets no response byte, or
 * only part of the body (a lost answer). This is what makes a blind replay of a write visible:
 * the journal shows the first arrival {@linkplain JournalEntry#processed() processed}, and
 * {@link RequestJournal#count(String, String)} counts every arrival. These faults work on any
 * connection, including a reused keep-alive connection that carried earlier, fully answered
 * requests — the case in which OkHttp's {@code retryOnConnectionFailure} silently replays a
 * request.
 *
 * <h2>Rate-limit accounting</h2>
 *
 * <p>Scripted responses count against the rate-limit quota like real ones (a 503 still cost the
 * caller a request at Assignr), except scripted 429s, which, like real ones, count against
 * nothing. Connection faults ({@link Fault}) are not counted: the request never reached the API.
 * Faults after processing are counted like the answer they break (the request did reach it).
 * Scripted responses are served even when the quota is exhausted (an outage or an injected error
 * wins over the rate limiter). Scripted rules are evaluated after the HTTPS-only redirect.
 */
public final class FaultScript {

  private final ScriptStore store;
  private final Clock clock;

  FaultScript(ScriptStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  /**
   * Rules for requests with this method and path.
   *
   * @param method e.g. {@code "PUT"}; null for any method
   * @param pathRegex a regular expression the whole path (without query) must match, e.g.
   *     {@code "/api/v2/games/\\d+"}; null for any path
   * @return a selection to give a trigger
   */
  public Selection on(String method, String pathRegex) {
    return new Selection(method, pathRegex);
  }

  /**
   * The next {@code n} requests, whatever their method and path.
   *
   * @param n at least 1
   * @return a trigger to give an action
   */
  public Trigger next(int n) {
    return on(null, null).next(n);
  }

  /**
   * A 503 burst: the next {@code n} requests get {@code 503 Service Unavailable}.
   *
   * @param n at least 1
   * @return this script
   */
  public FaultScript serviceUnavailable(int n) {
    return next(n).respond(error(503, "Service temporarily unavailable"));
  }

  /**
   * An outage: every request gets 503 from now (on the simulator clock) for {@code span}.
   *
   * @param span outage length, positive
   * @return this script
   */
  public FaultScript serviceUnavailableFor(Duration span) {
    return on(null, null).during(span).respond(error(503, "Service temporarily unavailable"));
  }

  /**
   * A deterministic error rate: every {@code n}th request (the nth, 2nth, ...) gets 500.
   *
   * @param n at least 1
   * @return this script
   */
  public FaultScript serverErrorEvery(int n) {
    return on(null, null).everyNth(n).respond(error(500, "Internal server error"));
  }

  /**
   * A random but reproducible error rate: each request gets 500 with probability {@code rate},
   * drawn from a {@code java.util.Random} seeded with {@code seed}.
   *
   * @param rate probability in [0, 1]
   * @param seed random seed
   * @return this script
   */
  public FaultScript serverErrors(double rate, long seed) {
    return on(null, null).withProbability(rate, seed).respond(error(500, "Internal server error"));
  }

  /**
   * Breaks the connection of the next {@code n} requests with a WireMock fault, e.g.
   * {@link Fault#CONNECTION_RESET_BY_PEER}, {@link Fault#EMPTY_RESPONSE},
   * {@link Fault#MALFORMED_RESPONSE_CHUNK}, {@link Fault#RANDOM_DATA_THEN_CLOSE}.
   *
   * @param fault the fault
   * @param n at least 1
   * @return this script
   */
  public FaultScript fault(Fault fault, int n) {
    return next(n).fault(fault);
  }

  /**
   * The API processes each of the next {@code n} requests, then the connection is closed without
   * a response byte. See {@link Trigger#processThenClose()}.
   *
   * @param n at least 1
   * @return this script
   */
  public FaultScript processThenClose(int n) {
    return next(n).processThenClose();
  }

  /**
   * The API processes each of the next {@code n} requests, then the connection is reset without a
   * response byte. See {@link Trigger#processThenReset()}.
   *
   * @param n at least 1
   * @return this script
   */
  public FaultScript processThenReset(int n) {
    return next(n).processThenReset();
  }

  /**
   * The API processes each of the next {@code n} requests, then half of the answer's body is sent
   * and the connection closed. See {@link Trigger#truncateBody()}.
   *
   * @param n at least 1
   * @return this script
   */
  public FaultScript truncateBody(int n) {
    return next(n).truncateBody();
  }

  /**
   * Delays the responses of the next {@code n} requests (real time: WireMock waits).
   *
   * @param delay positive
   * @param n at least 1
   * @return this script
   */
  public FaultScript delay(Duration delay, int n) {
    return next(n).delay(delay);
  }

  /**
   * Serves {@code response} to the next request.
   *
   * @param response the response
   * @return this script
   */
  public FaultScript respond(ScriptedResponse response) {
    return next(1).respond(response);
  }

  /**
   * Serves {@code response} to the next {@code n} requests.
   *
   * @param response the response
   * @param n at least 1
   * @return this script
   */
  public FaultScript respond(ScriptedResponse response, int n) {
    return next(n).respond(response);
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

  private static ScriptedResponse error(int status, String message) {
    return ScriptedResponse.status(status)
        .header("Content-Type", "application/vnd.assignr.v2.hal+json; charset=utf-8")
        .body("{\"error\":[{\"message\":\"" + message + "\"}]}");
  }

  /** Requests chosen by method and path, awaiting a trigger. */
  public final class Selection {
    private final String method;
    private final String pathRegex;

    private Selection(String method, String pathRegex) {
      this.method = method;
      this.pathRegex = pathRegex;
    }

    /**
     * The next {@code n} matching requests.
     *
     * @param n at least 1
     * @return a trigger
     */
    public Trigger next(int n) {
      positive("n", n);
      return new Trigger(this, ScriptStore.Kind.NEXT, n, 0, 0);
    }

    /**
     * Matching requests from now until {@code span} has passed on the simulator clock.
     *
     * @param span positive
     * @return a trigger
     */
    public Trigger during(Duration span) {
      if (span.isNegative() || span.isZero()) {
        throw new IllegalArgumentException("span must be positive, was " + span);
      }
      return new Trigger(this, ScriptStore.Kind.UNTIL, clock.millis() + span.toMillis(), 0, 0);
    }

    /**
     * Every {@code n}th matching request that reaches the rule.
     *
     * @param n at least 1
     * @return a trigger
     */
    public Trigger everyNth(int n) {
      positive("n", n);
      return new Trigger(this, ScriptStore.Kind.EVERY_NTH, n, 0, 0);
    }

    /**
     * Each matching request with probability {@code p}, from a {@code Random(seed)}.
     *
     * @param p in [0, 1]
     * @param seed random seed
     * @return a trigger
     */
    public Trigger withProbability(double p, long seed) {
      if (!(p >= 0 && p <= 1)) {
        throw new IllegalArgumentException("p must be in [0, 1], was " + p);
      }
      return new Trigger(this, ScriptStore.Kind.PROBABILITY, 0, p, seed);
    }

    /**
     * Every matching request until {@link FaultScript#clear()}.
     *
     * @return a trigger
     */
    public Trigger always() {
      return new Trigger(this, ScriptStore.Kind.ALWAYS, 0, 0, 0);
    }
  }

  /** A selection with a trigger, awaiting its action. */
  public final class Trigger {
    private final Selection selection;
    private final ScriptStore.Kind kind;
    private final long amount;
    private final double probability;
    private final long seed;
    private final boolean oncePerPath;

    private Trigger(Selection selection, ScriptStore.Kind kind, long amount, double probability,
        long seed) {
      this(selection, kind, amount, probability, seed, false);
    }

    private Trigger(Selection selection, ScriptStore.Kind kind, long amount, double probability,
        long seed, boolean oncePerPath) {
      this.selection = selection;
      this.kind = kind;
      this.amount = amount;
      this.probability = probability;
      this.seed = seed;
      this.oncePerPath = oncePerPath;
    }

    /**
     * This trigger, firing at most once for each path: a request whose path it has fired for
     * passes the rule by and is not counted. It makes a transient fault that one retry clears,
     * whatever other threads send meanwhile: with {@code on("GET", "/api/v2/games/\\d+")
     * .everyNth(7)} alone, the retry of a read that got the 500 can itself be the next seventh
     * read; with {@code .oncePerPath()} it cannot.
     *
     * @return the trigger, once per path
     */
    public Trigger oncePerPath() {
      return new Trigger(selection, kind, amount, probability, seed, true);
    }

    /**
     * Serves a scripted response.
     *
     * @param response the response
     * @return the script, for chaining
     */
    public FaultScript respond(ScriptedResponse response) {
      return add(new ScriptStore.Respond(Objects.requireNonNull(response, "response")));
    }

    /**
     * Serves an Assignr-style error body with this status.
     *
     * @param status e.g. 500
     * @return the script, for chaining
     */
    public FaultScript respondStatus(int status) {
      return respond(error(status, "Scripted error " + status));
    }

    /**
     * Breaks the connection with a WireMock fault instead of processing the request: the API
     * never sees it. For a fault after processing see {@link #processThenClose()},
     * {@link #processThenReset()} and {@link #truncateBody()}.
     *
     * @param fault the fault
     * @return the script, for chaining
     */
    public FaultScript fault(Fault fault) {
      return add(new ScriptStore.Inject(Objects.requireNonNull(fault, "fault")));
    }

    /**
     * Lets the simulator process the request as usual (a POST creates its game), then closes the
     * connection without sending a response byte (WireMock's {@link Fault#EMPTY_RESPONSE} applied
     * to the finished answer). The client sees end of stream where the status line should be.
     * Journal: {@code status 0}, {@code fault EMPTY_RESPONSE}, {@code apiStatus} the model's.
     *
     * @return the script, for chaining
     */
    public FaultScript processThenClose() {
      return add(new ScriptStore.AfterProcessing(ScriptStore.Break.CLOSE, -1));
    }

    /**
     * Lets the simulator process the request as usual, then resets the connection (TCP RST through
     * {@code SO_LINGER 0}, WireMock's {@link Fault#CONNECTION_RESET_BY_PEER}) without sending a
     * response byte. The client sees "connection reset". Journal: {@code status 0},
     * {@code fault CONNECTION_RESET_BY_PEER}, {@code apiStatus} the model's.
     *
     * @return the script, for chaining
     */
    public FaultScript processThenReset() {
      return add(new ScriptStore.AfterProcessing(ScriptStore.Break.RESET, -1));
    }

    /**
     * Lets the simulator process the request as usual, then sends the answer's status and headers
     * with a {@code Content-Length} for the whole body, but only the first half of the body
     * (rounded down), and closes the connection. The client sees end of stream inside the body.
     * Journal: the status sent, {@code bodyTruncated true}.
     *
     * @return the script, for chaining
     * @see #truncateBodyAt(int)
     */
    public FaultScript truncateBody() {
      return add(new ScriptStore.AfterProcessing(ScriptStore.Break.TRUNCATE, -1));
    }

    /**
     * Like {@link #truncateBody()}, sending exactly {@code bytesSent} body bytes (at most one
     * fewer than the body has). The answer also carries {@code Content-Encoding: identity}, which
     * keeps WireMock's gzip handler from turning the short body into a complete chunked one for
     * clients that send {@code Accept-Encoding: gzip}. An answer without a body (a 204) declares
     * {@code Content-Length: 1} and sends nothing; clients that know a 204 has no body may not
     * notice.
     *
     * @param bytesSent zero or more
     * @return the script, for chaining
     */
    public FaultScript truncateBodyAt(int bytesSent) {
      if (bytesSent < 0) {
        throw new IllegalArgumentException("bytesSent must be >= 0, was " + bytesSent);
      }
      return add(new ScriptStore.AfterProcessing(ScriptStore.Break.TRUNCATE, bytesSent));
    }

    /**
     * Delays whatever response is served (real time).
     *
     * @param delay positive
     * @return the script, for chaining
     */
    public FaultScript delay(Duration delay) {
      if (delay.isNegative() || delay.isZero()) {
        throw new IllegalArgumentException("delay must be positive, was " + delay);
      }
      return add(new ScriptStore.Delay(delay.toMillis()));
    }

    private FaultScript add(ScriptStore.Action action) {
      store.add(selection.method, selection.pathRegex, kind, amount, probability, seed, oncePerPath,
          action);
      return FaultScript.this;
    }
  }

  private static void positive(String name, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " must be at least 1, was " + value);
    }
  }
}
