package com.assignr.resilience;

import com.assignr.resilience.internal.Checks;
import com.assignr.resilience.internal.Fingerprints;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * One configuration of the library: the retry policy, the rate-limit gates, the listener, the
 * optional circuit breaker and the time seams. Build one per application (or per Assignr
 * account) and derive every adapter from it, so that all of them share the same gates.
 *
 * <pre>{@code
 * AssignrResilience resilience = AssignrResilience.builder()
 *     .policy(RetryPolicy.defaults().toBuilder().maxAttempts(4).build())
 *     .throwOnFailure(true)
 *     .build();
 * }</pre>
 */
public final class AssignrResilience {
  /** Assignr's media type, sent as {@code Accept} on every request. */
  public static final String ASSIGNR_MEDIA_TYPE = "application/vnd.assignr.v2.hal+json";

  private final RetryPolicy policy;
  private final RetryListener listener;
  private final CircuitBreaker circuitBreaker;
  private final TimeSource time;
  private final DoubleSupplier random;
  private final boolean gateEnabled;
  private final int rateLimitReserve;
  private final int coldStartConcurrency;
  private final Duration gateReleaseSpacing;
  private final boolean pacing;
  private final boolean throwOnFailure;
  private final boolean allowInsecureLoopback;
  private final String writeContentType;
  private final int bodyExcerptChars;
  private final RetryEngine engine;
  private final RetryExecutor executor;
  private final ConcurrentMap<String, RateLimitGate> gates = new ConcurrentHashMap<>();
  /** The last gate looked up: most applications use one account on one host, so this avoids a
   * SHA-256 and a key string per request. */
  private volatile LastGate lastGate;

  private record LastGate(String host, String credentials, RateLimitGate gate) {
    @Override
    public String toString() {
      return gate.quotaKey(); // never the credentials
    }
  }

  private AssignrResilience(Builder b) {
    policy = b.policy;
    listener = b.listener;
    circuitBreaker = b.circuitBreaker;
    time = b.time;
    random = b.random;
    gateEnabled = b.gateEnabled;
    rateLimitReserve = b.rateLimitReserve;
    coldStartConcurrency = b.coldStartConcurrency;
    gateReleaseSpacing = b.gateReleaseSpacing;
    pacing = b.pacing;
    throwOnFailure = b.throwOnFailure;
    allowInsecureLoopback = b.allowInsecureLoopback;
    writeContentType = b.writeContentType;
    bodyExcerptChars = b.bodyExcerptChars;
    engine = RetryEngine.create(policy, time.clock(), random);
    executor = new RetryExecutor(this);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Everything at its Assignr default. */
  public static AssignrResilience defaults() {
    return builder().build();
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  public RetryPolicy policy() { return policy; }
  public RetryListener listener() { return listener; }
  /** The circuit breaker, or null when none is configured. */
  public CircuitBreaker circuitBreaker() { return circuitBreaker; }
  public TimeSource timeSource() { return time; }
  public RetryEngine engine() { return engine; }
  /** The generic retry loop, for any HTTP client; the adapters are built on it. */
  public RetryExecutor executor() { return executor; }
  public boolean throwOnFailure() { return throwOnFailure; }
  public boolean allowInsecureLoopback() { return allowInsecureLoopback; }
  /** The {@code Content-Type} added to POST requests that have none. */
  public String writeContentType() { return writeContentType; }
  public int bodyExcerptChars() { return bodyExcerptChars; }
  DoubleSupplier random() { return random; }

  /**
   * The gate of the quota that {@code host} and {@code credentials} (an {@code Authorization}
   * value, or null) draw on, created on first use. The key holds a hash of the credentials, never
   * the credentials. Null when gating is disabled.
   */
  public RateLimitGate gateFor(String host, String credentials) {
    if (!gateEnabled) return null;
    LastGate last = lastGate;
    if (last != null && last.host.equals(host) && Objects.equals(last.credentials, credentials)) {
      return last.gate;
    }
    String key = host.toLowerCase(Locale.ROOT) + "#" + Fingerprints.of(credentials);
    RateLimitGate gate = gates.computeIfAbsent(key, k -> new RateLimitGate(k, time, listener,
        rateLimitReserve, coldStartConcurrency, gateReleaseSpacing, policy.rateLimitMargin(), policy.initialBackoff(), pacing));
    lastGate = new LastGate(host, credentials, gate);
    return gate;
  }

  /**
   * Refuses plain HTTP before anything is sent (loopback only when {@link
   * Builder#allowInsecureLoopback(boolean)} is on).
   */
  public void checkSecure(String method, String scheme, String host, String path) throws InsecureRequestException {
    if ("https".equalsIgnoreCase(scheme)) return;
    if (allowInsecureLoopback && "http".equalsIgnoreCase(scheme) && Fingerprints.isLoopback(host)) return;
    throw new InsecureRequestException(method, scheme, host, path);
  }

  @Override
  public String toString() {
    return "AssignrResilience{" + policy + ", gate=" + (gateEnabled ? "reserve " + rateLimitReserve
        + ", coldStart " + coldStartConcurrency + ", releaseSpacing " + gateReleaseSpacing + (pacing ? ", pacing" : "") : "off")
        + ", circuitBreaker=" + (circuitBreaker == null ? "none" : circuitBreaker.getName())
        + ", throwOnFailure=" + throwOnFailure + ", gates=" + gates.keySet() + '}';
  }

  /** Setters only store; {@link #build()} validates. */
  public static final class Builder {
    private RetryPolicy policy = RetryPolicy.defaults();
    private RetryListener listener = Slf4jRetryListener.create();
    private CircuitBreaker circuitBreaker;
    private TimeSource time = TimeSource.system();
    private DoubleSupplier random = () -> ThreadLocalRandom.current().nextDouble();
    private boolean gateEnabled = true;
    private int rateLimitReserve = 2;
    private int coldStartConcurrency = 10;
    private Duration gateReleaseSpacing = Duration.ofMillis(20);
    private boolean pacing;
    private boolean throwOnFailure;
    private boolean allowInsecureLoopback;
    private String writeContentType = ASSIGNR_MEDIA_TYPE;
    private int bodyExcerptChars = 4096;

    private Builder() {}

    private Builder(AssignrResilience r) {
      policy = r.policy;
      listener = r.listener;
      circuitBreaker = r.circuitBreaker;
      time = r.time;
      random = r.random;
      gateEnabled = r.gateEnabled;
      rateLimitReserve = r.rateLimitReserve;
      coldStartConcurrency = r.coldStartConcurrency;
      gateReleaseSpacing = r.gateReleaseSpacing;
      pacing = r.pacing;
      throwOnFailure = r.throwOnFailure;
      allowInsecureLoopback = r.allowInsecureLoopback;
      writeContentType = r.writeContentType;
      bodyExcerptChars = r.bodyExcerptChars;
    }

    public Builder policy(RetryPolicy policy) { this.policy = policy; return this; }

    /** Receives every event. Default: {@link Slf4jRetryListener}. */
    public Builder listener(RetryListener listener) { this.listener = listener; return this; }

    /**
     * A Resilience4j breaker of the caller's own (so their registry and metrics apply). It records
     * 5xx and I/O failures as failures; 4xx as successes; a 429 is throttling and is never
     * recorded. When open, calls fail fast with {@link CircuitOpenException}. Default: none.
     */
    public Builder circuitBreaker(CircuitBreaker circuitBreaker) { this.circuitBreaker = circuitBreaker; return this; }

    /** A breaker named "assignr" with Resilience4j's default configuration. */
    public Builder defaultCircuitBreaker() {
      this.circuitBreaker = CircuitBreaker.of("assignr", CircuitBreakerConfig.ofDefaults());
      return this;
    }

    /** The time seam. Default: {@link TimeSource#system()}. */
    public Builder timeSource(TimeSource time) { this.time = time; return this; }

    /** Uniform draws in [0, 1) for jitter. Default: {@code ThreadLocalRandom}. */
    public Builder random(DoubleSupplier random) { this.random = random; return this; }

    /** Whether the shared rate-limit gate is used. Default true; off leaves retries only. */
    public Builder gateEnabled(boolean gateEnabled) { this.gateEnabled = gateEnabled; return this; }

    /**
     * Requests per window left unused for the account's other traffic (Assignr counts the web
     * app's requests too). Default 2.
     */
    public Builder rateLimitReserve(int rateLimitReserve) { this.rateLimitReserve = rateLimitReserve; return this; }

    /**
     * While the gate knows no budget (at start, or after a window reset), at most this many
     * attempts are in flight; their answers teach it the budget. Default 10.
     */
    public Builder coldStartConcurrency(int attempts) { this.coldStartConcurrency = attempts; return this; }

    /** The gap between callers released after the gate reopens. Default 20 ms. */
    public Builder gateReleaseSpacing(Duration spacing) { this.gateReleaseSpacing = spacing; return this; }

    /** Spread admissions evenly over the window instead of bursting. Default false. */
    public Builder pacing(boolean pacing) { this.pacing = pacing; return this; }

    /**
     * Turn non-success final outcomes into typed {@link AssignrException}s. Default false: the
     * final response is returned, as an interceptor's users expect.
     */
    public Builder throwOnFailure(boolean throwOnFailure) { this.throwOnFailure = throwOnFailure; return this; }

    /** Allow plain HTTP to loopback hosts, for local simulators and tests. Default false. */
    public Builder allowInsecureLoopback(boolean allow) { this.allowInsecureLoopback = allow; return this; }

    /**
     * The {@code Content-Type} added to POST requests that set none. Default Assignr's media type;
     * some integrations send form-encoded writes. A caller-set header always wins.
     */
    public Builder writeContentType(String contentType) { this.writeContentType = contentType; return this; }

    /** The most characters of an error body kept in an exception. Default 4096. */
    public Builder bodyExcerptChars(int chars) { this.bodyExcerptChars = chars; return this; }

    /**
     * @throws IllegalArgumentException naming each bad parameter and its value
     */
    public AssignrResilience build() {
      Checks c = new Checks("AssignrResilience");
      c.notNull("policy", policy);
      c.notNull("listener", listener);
      c.notNull("timeSource", time);
      c.notNull("random", random);
      c.check(rateLimitReserve >= 0 && rateLimitReserve < 1000, "rateLimitReserve", rateLimitReserve,
          "must be between 0 and 999");
      c.check(coldStartConcurrency >= 1, "coldStartConcurrency", coldStartConcurrency, "must be at least 1");
      c.nonNegative("gateReleaseSpacing", gateReleaseSpacing);
      c.check(writeContentType != null && !writeContentType.isBlank(), "writeContentType",
          writeContentType, "must be a media type");
      c.check(bodyExcerptChars >= 0 && bodyExcerptChars <= 1 << 20, "bodyExcerptChars",
          bodyExcerptChars, "must be between 0 and 1048576");
      c.throwIfAny();
      return new AssignrResilience(this);
    }
  }
}
