package com.assignr.resilience;

import com.assignr.resilience.internal.Checks;
import com.assignr.resilience.spi.Authorizer;
import com.assignr.resilience.spi.CallObserver;
import com.assignr.resilience.spi.GateStore;
import com.assignr.resilience.spi.RateLimitGate;
import com.assignr.resilience.spi.RetryExecutor;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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
 *     .gate(GatePolicy.defaults().toBuilder().reserve(5).build())
 *     .quotaKey(QuotaKey.fixed("assignr:club-42"))
 *     .throwOnFailure(true)
 *     .build();
 * }</pre>
 */
public final class AssignrResilience {
  /** Assignr's media type, sent as {@code Accept} on every request. */
  public static final String ASSIGNR_MEDIA_TYPE = "application/vnd.assignr.v2.hal+json";

  private final RetryPolicy policy;
  private final GatePolicy gatePolicy;
  private final GateStore gateStore;
  private final QuotaKey quotaKey;
  private final Authorizer credentials;
  private final List<RetryListener> listeners;
  private final RetryListener listener;
  private final CircuitBreaker circuitBreaker;
  private final CallObserver observer;
  private final TimeSource time;
  private final DoubleSupplier random;
  private final boolean throwOnFailure;
  private final boolean allowInsecureLoopback;
  private final String writeContentType;
  private final int bodyExcerptChars;
  private final DefaultRetryExecutor executor;
  private final Gates gates;

  private AssignrResilience(Builder b) {
    policy = b.policy;
    gatePolicy = b.gatePolicy;
    gateStore = b.gateStore;
    credentials = b.credentials;
    // With managed tokens the quota is the OAuth client's: the same in every instance and across
    // token rotations (a hash of the Authorization value would start a cold gate every refresh).
    quotaKey = b.quotaKey != null ? b.quotaKey
        : credentials != null ? QuotaKey.fixed(credentials.quotaKey()) : QuotaKey.hostAndCredentials();
    listeners = List.copyOf(b.listeners);
    listener = RetryListener.composite(listeners.toArray(new RetryListener[0]));
    // One identity: the token events of the credentials reach this configuration's listeners too.
    if (credentials != null) listeners.forEach(credentials::addListener);
    circuitBreaker = b.circuitBreaker;
    observer = b.observer;
    time = b.time;
    random = b.random;
    throwOnFailure = b.throwOnFailure;
    allowInsecureLoopback = b.allowInsecureLoopback;
    writeContentType = b.writeContentType;
    bodyExcerptChars = b.bodyExcerptChars;
    RetryEngine engine = RetryEngine.create(policy, time.clock(), random);
    gates = new Gates(gatePolicy, gateStore, quotaKey, policy.rateLimitMargin(), time, listener);
    executor = new DefaultRetryExecutor(new Settlement(engine, time, listener, circuitBreaker, gates,
        credentials, allowInsecureLoopback, throwOnFailure, bodyExcerptChars, policy.totalTimeout(), observer));
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
  /** The rate-limit gate's settings. */
  public GatePolicy gatePolicy() { return gatePolicy; }
  /** Where the gates keep their state. */
  public GateStore gateStore() { return gateStore; }
  /** How a request's quota is named. */
  public QuotaKey quotaKey() { return quotaKey; }
  /** The access tokens the library adds to requests without {@code Authorization}, or null. */
  public Authorizer credentials() { return credentials; }
  /** Every listener's events, in the order they were added (the SLF4J one first by default). */
  public RetryListener listener() { return listener; }
  /** The listeners, in order. */
  public List<RetryListener> listeners() { return listeners; }
  /** The circuit breaker, or null when none is configured. */
  public CircuitBreaker circuitBreaker() { return circuitBreaker; }
  /** What sees each call for tracing ({@link CallObserver#NONE} unless set). */
  public CallObserver observer() { return observer; }
  public TimeSource timeSource() { return time; }
  /**
   * The retry loop of this configuration, for adapters of any HTTP client (the library's own are
   * built on it): see {@link RetryExecutor}.
   *
   * @return the executor; every executor and adapter of this configuration shares its gates
   */
  public RetryExecutor executor() { return executor; }
  public boolean throwOnFailure() { return throwOnFailure; }
  public boolean allowInsecureLoopback() { return allowInsecureLoopback; }
  /** The {@code Content-Type} added to POST requests that have none. */
  public String writeContentType() { return writeContentType; }
  public int bodyExcerptChars() { return bodyExcerptChars; }

  /**
   * The gate of the quota that {@code request}, carrying {@code credentials} (an {@code
   * Authorization} value, or null), draws on, created on first use; null when gating is
   * disabled. The executor's lookup; not for users, who see gates through {@link #gates()}.
   */
  RateLimitGate gateFor(RequestInfo request, String credentials) {
    return gates.gateFor(request, credentials);
  }

  /**
   * What the gate of {@code quotaKey} knows now, if a call has used it: a snapshot, for metrics
   * and health checks (the gate itself is the executor's alone).
   *
   * @param quotaKey a key as {@link QuotaKey} names it
   * @return the gate's state, if the gate was created
   */
  public Optional<GateState> gate(String quotaKey) {
    return gates.gate(quotaKey).map(RateLimitGate::state);
  }

  /**
   * What every gate created so far knows now, for metrics and health checks.
   *
   * @return an unmodifiable list of snapshots
   */
  public List<GateState> gates() {
    return gates.all().stream().map(RateLimitGate::state).toList();
  }

  /** The engine, for the Resilience4j bridge and tests. */
  RetryEngine engine() {
    return executor.settlement().engine;
  }

  /** The executor's HTTPS check, for tests of it. */
  void checkSecure(RequestInfo request) throws InsecureRequestException {
    executor.settlement().checkSecure(request);
  }

  @Override
  public String toString() {
    return "AssignrResilience{" + policy + ", " + gatePolicy + ", quotaKey=" + quotaKey
        + ", circuitBreaker=" + (circuitBreaker == null ? "none" : circuitBreaker.getName())
        + ", throwOnFailure=" + throwOnFailure + ", gates=" + gates + '}';
  }

  /** Setters only store; {@link #build()} validates. */
  public static final class Builder {
    private RetryPolicy policy = RetryPolicy.defaults();
    private GatePolicy gatePolicy = GatePolicy.defaults();
    private GateStore gateStore = GateStore.local();
    /** Null until set: the default depends on whether credentials are managed. */
    private QuotaKey quotaKey;
    /** Whether {@link #quotaKey} was set to null, which {@link #build()} refuses. */
    private boolean quotaKeyNull;
    private Authorizer credentials;
    private final List<RetryListener> listeners = new ArrayList<>(List.of(Slf4jRetryListener.create()));
    private CircuitBreaker circuitBreaker;
    private CallObserver observer = CallObserver.NONE;
    private TimeSource time = TimeSource.system();
    private DoubleSupplier random = () -> ThreadLocalRandom.current().nextDouble();
    private boolean throwOnFailure;
    private boolean allowInsecureLoopback;
    private String writeContentType = ASSIGNR_MEDIA_TYPE;
    private int bodyExcerptChars = 4096;

    private Builder() {}

    private Builder(AssignrResilience r) {
      policy = r.policy;
      gatePolicy = r.gatePolicy;
      gateStore = r.gateStore;
      quotaKey = r.quotaKey;
      credentials = r.credentials;
      listeners.clear();
      listeners.addAll(r.listeners);
      circuitBreaker = r.circuitBreaker;
      observer = r.observer;
      time = r.time;
      random = r.random;
      throwOnFailure = r.throwOnFailure;
      allowInsecureLoopback = r.allowInsecureLoopback;
      writeContentType = r.writeContentType;
      bodyExcerptChars = r.bodyExcerptChars;
    }

    public Builder policy(RetryPolicy policy) { this.policy = policy; return this; }

    /** The rate-limit gate's settings. Default {@link GatePolicy#defaults()}. */
    public Builder gate(GatePolicy gatePolicy) { this.gatePolicy = gatePolicy; return this; }

    /**
     * Where the gates keep their state. Default {@link GateStore#local()} (this JVM);
     * {@code assignr-resilience-redis} shares it across a fleet.
     */
    public Builder gateStore(GateStore gateStore) { this.gateStore = gateStore; return this; }

    /**
     * How a request's quota is named. Default {@link QuotaKey#hostAndCredentials()}, or with
     * {@link #credentials} their {@link Authorizer#quotaKey()} (for OAuth, a hash of the client id).
     */
    public Builder quotaKey(QuotaKey quotaKey) {
      this.quotaKey = quotaKey;
      this.quotaKeyNull = quotaKey == null;
      return this;
    }

    /**
     * Access tokens the library manages ({@code assignr-resilience-oauth}'s {@code Credentials},
     * or any {@link Authorizer}): every request without an {@code
     * Authorization} header is sent with {@code Authorization: Bearer <token>}, and a 401 to that
     * token invalidates it once (one token request however many callers) and sends the request
     * once more. Requests that carry their own {@code Authorization} keep it. The credentials' token
     * events reach this configuration's listeners. A call that gets no token fails with a {@link
     * TokenFailureException}. Default: none.
     */
    public Builder credentials(Authorizer credentials) { this.credentials = credentials; return this; }

    /**
     * Adds a listener after those already there (by default the {@link Slf4jRetryListener}), so
     * that metrics, say, come on top of logging. This is the normal way to hear events.
     */
    public Builder addListener(RetryListener listener) {
      listeners.add(listener);
      return this;
    }

    /**
     * Replaces every listener, the default SLF4J one included, with {@code listener} ({@link
     * RetryListener#NONE} for silence). Prefer {@link #addListener} to keep logging.
     */
    public Builder listener(RetryListener listener) {
      listeners.clear();
      listeners.add(listener);
      return this;
    }

    /**
     * A Resilience4j breaker of the caller's own (so their registry and metrics apply). It records
     * 5xx and I/O failures as failures; 4xx as successes; a 429 is throttling and is never
     * recorded. When open, calls fail fast with {@link CircuitOpenException}. Default: none.
     */
    public Builder circuitBreaker(CircuitBreaker circuitBreaker) { this.circuitBreaker = circuitBreaker; return this; }

    /**
     * What sees each call, attempt by attempt, for tracing: the OpenTelemetry or Micrometer
     * Observation integration (assignr-resilience-opentelemetry, assignr-resilience-micrometer).
     * Default: {@link CallObserver#NONE}, which costs nothing.
     */
    public Builder observer(CallObserver observer) { this.observer = observer; return this; }

    /** A breaker named "assignr" with Resilience4j's default configuration. */
    public Builder defaultCircuitBreaker() {
      this.circuitBreaker = CircuitBreaker.of("assignr", CircuitBreakerConfig.ofDefaults());
      return this;
    }

    /** The time seam. Default: {@link TimeSource#system()}. */
    public Builder timeSource(TimeSource time) { this.time = time; return this; }

    /** Uniform draws in [0, 1) for jitter. Default: {@code ThreadLocalRandom}. */
    public Builder random(DoubleSupplier random) { this.random = random; return this; }

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

    /** The most characters of an error body kept in an exception. Default 4096, at most 1 MiB. */
    public Builder bodyExcerptChars(int chars) { this.bodyExcerptChars = chars; return this; }

    /**
     * @throws InvalidSettingsException naming each bad parameter and its value, a null given to a
     *     setter included
     */
    public AssignrResilience build() {
      Checks c = new Checks("AssignrResilience");
      c.notNull("policy", policy);
      c.notNull("gate", gatePolicy);
      c.notNull("gateStore", gateStore);
      c.check(!quotaKeyNull, "quotaKey", null, "must not be null (leave it unset for the default)");
      c.check(!listeners.contains(null), "listener", null, "must not be null (RetryListener.NONE for silence)");
      c.notNull("timeSource", time);
      c.notNull("random", random);
      c.notNull("observer", observer);
      c.check(credentials == null || credentials.timeSource() == time, "credentials", credentials,
          "must use this builder's timeSource (AssignrOAuth.builder().timeSource(...))");
      c.check(writeContentType != null && !writeContentType.isBlank(), "writeContentType",
          writeContentType, "must be a media type");
      c.check(bodyExcerptChars >= 0 && bodyExcerptChars <= 1 << 20, "bodyExcerptChars",
          bodyExcerptChars, "must be between 0 and 1048576");
      c.throwIfAny();
      return new AssignrResilience(this);
    }
  }
}
