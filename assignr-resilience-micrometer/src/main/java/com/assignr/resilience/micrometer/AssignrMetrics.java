package com.assignr.resilience.micrometer;

import com.assignr.resilience.AssignrResilience;
import com.assignr.resilience.Classification;
import com.assignr.resilience.Decision;
import com.assignr.resilience.Outcome;
import com.assignr.resilience.GateState;
import com.assignr.resilience.RateLimitInfo;
import com.assignr.resilience.RequestInfo;
import com.assignr.resilience.RetryListener;
import com.assignr.resilience.internal.Checks;
import com.assignr.resilience.micrometer.internal.EventMeters;
import com.assignr.resilience.micrometer.internal.QuotaMeters;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Turns the library's events into Micrometer meters, and each rate-limit gate's state into gauges:
 * what an operator wants on a dashboard when Assignr throttles — how much of the quota is left,
 * whether the gate is shut and until when, how long calls wait, how many 429s still get through.
 *
 * <pre>{@code
 * AssignrMetrics metrics = AssignrMetrics.create(meterRegistry);
 * AssignrResilience resilience = AssignrResilience.builder()
 *     .addListener(metrics)          // on top of the default SLF4J listener, which stays
 *     .build();
 * metrics.monitor(resilience);       // gauges for every gate, as each quota is first used
 * }</pre>
 *
 * <h2>Meters</h2>
 *
 * <table>
 *   <caption>Meters and their tags (besides the common tags given to the builder)</caption>
 *   <tr><th>name</th><th>type</th><th>tags</th><th>what</th></tr>
 *   <tr><td>{@code assignr.calls}</td><td>counter</td><td>{@code outcome}, {@code method}</td>
 *       <td>calls that ended: {@code successful_without_retry}, {@code successful_with_retry},
 *       {@code failed_without_retry}, {@code failed_with_retry} (Resilience4j's names); a call
 *       fails when it ends without a 2xx</td></tr>
 *   <tr><td>{@code assignr.retries}</td><td>counter</td><td>{@code cause}</td>
 *       <td>retries scheduled, by cause: {@code 429}, {@code 503}, {@code 5xx}, {@code io},
 *       {@code other}</td></tr>
 *   <tr><td>{@code assignr.retry.delay}</td><td>timer</td><td>{@code cause}</td>
 *       <td>the wait before each retry, as decided</td></tr>
 *   <tr><td>{@code assignr.ratelimit.rejected}</td><td>counter</td><td></td>
 *       <td>429 responses received</td></tr>
 *   <tr><td>{@code assignr.gate.wait}</td><td>timer</td><td></td>
 *       <td>each wait in the rate-limit gate before an attempt, as decided</td></tr>
 *   <tr><td>{@code assignr.giveups}</td><td>counter</td><td>{@code reason}, {@code classification}</td>
 *       <td>calls that ended without success, by {@link com.assignr.resilience.StopReason} and the
 *       last outcome's {@link Classification} (lower case)</td></tr>
 *   <tr><td>{@code assignr.gate.closed}</td><td>gauge</td><td>{@code quota}</td>
 *       <td>1 while the quota's gate is closed, else 0</td></tr>
 *   <tr><td>{@code assignr.gate.opens.in}</td><td>time gauge</td><td>{@code quota}</td>
 *       <td>time until the gate opens; 0 when open</td></tr>
 *   <tr><td>{@code assignr.gate.in.flight}</td><td>gauge</td><td>{@code quota}</td>
 *       <td>attempts admitted and not yet answered</td></tr>
 *   <tr><td>{@code assignr.gate.closures}</td><td>counter</td><td>{@code quota}</td>
 *       <td>times the gate closed (a 429, or {@code Remaining} at the reserve)</td></tr>
 *   <tr><td>{@code assignr.ratelimit.remaining}</td><td>gauge</td><td>{@code quota}, {@code window}</td>
 *       <td>requests left in the binding window while {@code window} (e.g. {@code 60s}) binds;
 *       NaN while another window binds or nothing is known</td></tr>
 *   <tr><td>{@code assignr.ratelimit.limit}</td><td>gauge</td><td>{@code quota}, {@code window}</td>
 *       <td>that window's limit (180, 500, 5000 at Assignr) while it binds, else NaN</td></tr>
 *   <tr><td>{@code assignr.gate.store}</td><td>gauge</td><td>{@code quota}, {@code mode}</td>
 *       <td>1 for the mode the gate's state is in ({@code local}, {@code shared}, {@code
 *       degraded}), 0 for the others</td></tr>
 *   <tr><td>{@code assignr.gate.store.degradations}</td><td>counter</td><td>{@code quota}</td>
 *       <td>times a shared store stopped answering and the local gate took over</td></tr>
 *   <tr><td>{@code assignr.token.refreshes}</td><td>counter</td><td>{@code result}</td>
 *       <td>access tokens obtained ({@code success}) or not ({@code failure})</td></tr>
 * </table>
 *
 * <h2>Cardinality and secrets</h2>
 *
 * <p>No tag holds a URI, a path, a query, a header or a host the application did not name: {@code
 * method} is one of the standard methods or {@code other}; {@code quota} is the gate's {@link
 * com.assignr.resilience.QuotaKey quota key}, which never contains a credential (the default key
 * is the API host and a hash of the {@code Authorization} value). Gauges are kept for at most
 * {@link Builder#maxQuotas(int) maxQuotas} quotas (default 16): rotating tokens under the default
 * key make a new quota each time, so name the quota ({@code QuotaKey.fixed(...)}) when they rotate.
 * A quota gets at most four {@code window} values (Assignr has three), however many periods the
 * server reports.
 *
 * <h2>Cost</h2>
 *
 * <p>A call that succeeds at once costs one counter increment and, for each response, a comparison
 * of its reset time with the last one seen; nothing is allocated. The {@code window} of a response
 * is read (a header lookup) only when its reset time differs from the last one's: about once a
 * second per quota under load. Gauges read the gate's {@link AssignrResilience#gate(String)} when the
 * registry publishes.
 *
 * <p>A call's end is read from its 2xx outcome or its give-up, which the library announces once
 * for every other end: a call cancelled while it waits (an interrupt, {@code Call.cancel()}, a
 * cancelled future) is a give-up with reason {@code cancelled}, so {@code assignr.calls} counts
 * every call that ended.
 */
public final class AssignrMetrics implements RetryListener {
  /** Calls that ended, tagged {@code outcome} and {@code method}. */
  public static final String CALLS = "assignr.calls";
  /** Retries scheduled, tagged {@code cause}. */
  public static final String RETRIES = "assignr.retries";
  /** The wait before each retry, tagged {@code cause}. */
  public static final String RETRY_DELAY = "assignr.retry.delay";
  /** 429 responses received. */
  public static final String RATE_LIMITED = "assignr.ratelimit.rejected";
  /** Each wait in the rate-limit gate. */
  public static final String GATE_WAIT = "assignr.gate.wait";
  /** Calls that ended without success, tagged {@code reason} and {@code classification}. */
  public static final String GIVE_UPS = "assignr.giveups";
  /** 1 while a quota's gate is closed, tagged {@code quota}. */
  public static final String GATE_CLOSED = "assignr.gate.closed";
  /** Time until a quota's gate opens, tagged {@code quota}. */
  public static final String GATE_OPENS_IN = "assignr.gate.opens.in";
  /** Attempts in flight through a quota's gate, tagged {@code quota}. */
  public static final String GATE_IN_FLIGHT = "assignr.gate.in.flight";
  /** Times a quota's gate closed, tagged {@code quota}. */
  public static final String GATE_CLOSURES = "assignr.gate.closures";
  /** Requests left in the binding window, tagged {@code quota} and {@code window}. */
  public static final String REMAINING = "assignr.ratelimit.remaining";
  /** The binding window's limit, tagged {@code quota} and {@code window}. */
  public static final String LIMIT = "assignr.ratelimit.limit";
  /** Where a gate's state lives, tagged {@code quota} and {@code mode}. */
  public static final String STORE = "assignr.gate.store";
  /** Times a shared store degraded to the local gate, tagged {@code quota}. */
  public static final String STORE_DEGRADATIONS = "assignr.gate.store.degradations";
  /** Token refreshes, tagged {@code result}. */
  public static final String TOKEN_REFRESHES = "assignr.token.refreshes";

  private final MeterRegistry registry;
  private final Tags tags;
  private final int maxQuotas;
  private final EventMeters events;
  private final ConcurrentMap<String, QuotaMeters> quotas = new ConcurrentHashMap<>();
  /** Most applications use one quota: its meters, found without a map lookup. */
  private volatile QuotaMeters lastQuota;
  private volatile AssignrResilience resilience;

  private AssignrMetrics(Builder b) {
    this.registry = b.registry;
    this.tags = Tags.of(b.tags);
    this.maxQuotas = b.maxQuotas;
    this.events = new EventMeters(registry, tags);
  }

  /**
   * Meters on {@code registry} with no common tags.
   *
   * @param registry where the meters go
   * @return a new binder; add it as a listener, then {@link #monitor} the configuration
   */
  public static AssignrMetrics create(MeterRegistry registry) {
    return builder(registry).build();
  }

  /**
   * A builder for meters on {@code registry}.
   *
   * @param registry where the meters go
   * @return a new builder
   */
  public static Builder builder(MeterRegistry registry) {
    return new Builder(registry);
  }

  /**
   * Adds gauges for the rate-limit gates of {@code resilience}: for each gate it has now, and for
   * each one it creates later, when that quota's first event arrives. The configuration must have
   * this binder among its listeners ({@link AssignrResilience.Builder#addListener}), or later
   * gates and every event would go unseen.
   *
   * @param resilience the configuration whose gates to watch
   * @return {@code resilience}, for chaining
   * @throws IllegalArgumentException if this binder is not one of its listeners
   * @throws IllegalStateException if this binder already monitors another configuration
   */
  public synchronized AssignrResilience monitor(AssignrResilience resilience) {
    Objects.requireNonNull(resilience, "resilience");
    if (!resilience.listeners().contains(this)) {
      throw new IllegalArgumentException("AssignrMetrics must be one of the configuration's listeners:"
          + " build it with AssignrResilience.builder().addListener(metrics) before monitor(...)");
    }
    if (this.resilience != null && this.resilience != resilience) {
      throw new IllegalStateException("This AssignrMetrics already monitors another AssignrResilience;"
          + " create one AssignrMetrics per configuration (give them different tags)");
    }
    this.resilience = resilience;
    for (GateState gate : resilience.gates()) quota(gate.quotaKey());
    return resilience;
  }

  /**
   * The registry the meters are on.
   *
   * @return the registry
   */
  public MeterRegistry registry() {
    return registry;
  }

  // ---------------------------------------------------------------------------------------------
  // Events. Each is called on a caller's thread and must stay cheap: no allocation on a success.

  @Override
  public void onOutcome(RequestInfo request, int attempt, Outcome outcome) {
    if (outcome.classification() == Classification.SUCCESS) {
      events.callEnded(request.method(), attempt == 1 ? EventMeters.SUCCESS_WITHOUT_RETRY
          : EventMeters.SUCCESS_WITH_RETRY);
    } else if (outcome.status() == 429) {
      events.rateLimited();
    }
  }

  @Override
  public void onGiveUp(RequestInfo request, int attempts, Duration elapsed, Decision.Stop stop, Outcome last) {
    events.callEnded(request.method(), attempts > 1 ? EventMeters.FAILED_WITH_RETRY
        : EventMeters.FAILED_WITHOUT_RETRY);
    events.gaveUp(stop.reason(), last.classification());
  }

  @Override
  public void onRetryScheduled(RequestInfo request, int attempt, Decision.Retry decision) {
    events.retryScheduled(decision.cause(), decision.delay());
  }

  @Override
  public void onGateWait(RequestInfo request, int attempt, Duration wait) {
    events.gateWait(wait);
  }

  @Override
  public void onRateLimitObserved(String quotaKey, RateLimitInfo info) {
    QuotaMeters q = quota(quotaKey);
    if (q != null) q.observed(info);
  }

  @Override
  public void onGateClosed(String quotaKey, Duration closedFor, String reason) {
    QuotaMeters q = quota(quotaKey);
    if (q != null) q.closed();
  }

  @Override
  public void onGateOpened(String quotaKey) {
    quota(quotaKey); // the gauges read the gate itself
  }

  @Override
  public void onStoreDegraded(String quotaKey, Throwable cause) {
    QuotaMeters q = quota(quotaKey);
    if (q != null) q.degraded();
  }

  @Override
  public void onStoreRecovered(String quotaKey) {
    quota(quotaKey);
  }

  @Override
  public void onTokenRefreshed(String quotaKey, Duration validFor) {
    events.tokenRefreshed(true);
  }

  @Override
  public void onTokenRefreshFailed(String quotaKey, Throwable failure) {
    events.tokenRefreshed(false);
  }

  /**
   * The meters of one quota, created on its first event once a configuration is monitored; null
   * when none is, when the quota is beyond {@code maxQuotas}, or its gate is unknown.
   */
  private QuotaMeters quota(String key) {
    QuotaMeters q = lastQuota;
    if (q != null && q.key() == key) return q.active() ? q : null; // gates pass their own key
    if (resilience == null) return null;
    q = quotas.get(key);
    if (q == null) {
      q = newQuota(key);
      if (q == null) return null;
    }
    lastQuota = q;
    return q.active() ? q : null;
  }

  private synchronized QuotaMeters newQuota(String key) {
    QuotaMeters q = quotas.get(key);
    if (q != null) return q;
    AssignrResilience watched = resilience;
    if (watched == null) return null;
    if (watched.gate(key).isEmpty()) return null;
    // A gate, once created, lives as long as its configuration: the gauges read its snapshot.
    q = quotas.size() < maxQuotas ? QuotaMeters.register(registry, tags, key, () -> watched.gate(key).orElseThrow())
        : QuotaMeters.ignored(key);
    quotas.put(key, q);
    return q;
  }

  @Override
  public String toString() {
    return "AssignrMetrics{" + registry.getClass().getSimpleName() + ", tags=" + tags
        + ", quotas=" + quotas.keySet() + '}';
  }

  /** Setters only store; {@link #build()} validates. */
  public static final class Builder {
    private final MeterRegistry registry;
    private Iterable<Tag> tags = Tags.empty();
    private int maxQuotas = 16;

    private Builder(MeterRegistry registry) {
      this.registry = registry;
    }

    /**
     * Tags added to every meter, e.g. {@code Tags.of("client", "league-sync")} to tell two
     * configurations apart.
     *
     * @param tags the common tags
     * @return this builder
     */
    public Builder tags(Iterable<Tag> tags) {
      this.tags = tags;
      return this;
    }

    /**
     * The most quotas that get gauges (default 16). Later quotas are counted in the event meters
     * only, which carry no quota tag.
     *
     * @param maxQuotas at least 1
     * @return this builder
     */
    public Builder maxQuotas(int maxQuotas) {
      this.maxQuotas = maxQuotas;
      return this;
    }

    /**
     * Validates the settings.
     *
     * @return the binder
     * @throws com.assignr.resilience.InvalidSettingsException naming every bad setting and its value
     */
    public AssignrMetrics build() {
      Checks c = new Checks("AssignrMetrics");
      c.notNull("registry", registry);
      c.notNull("tags", tags);
      c.check(maxQuotas >= 1 && maxQuotas <= 10_000, "maxQuotas", maxQuotas, "must be between 1 and 10000");
      c.throwIfAny();
      return new AssignrMetrics(this);
    }
  }
}
