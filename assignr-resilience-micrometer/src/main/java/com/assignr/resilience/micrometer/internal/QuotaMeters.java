package com.assignr.resilience.micrometer.internal;

import com.assignr.resilience.GateState;
import com.assignr.resilience.RateLimitInfo;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The meters of one quota: gauges that read its gate's {@link com.assignr.resilience.AssignrResilience#gate(String)} when the
 * registry publishes, and the counters its gate events feed.
 *
 * <p><b>Which windows get gauges.</b> Assignr's headers describe whichever of its windows (60 s,
 * 300 s, 3600 s) has the fewest requests left, and that changes from one response to the next.
 * {@code remaining} and {@code limit} are tagged with the window; the gauge of a window reads the
 * gate's numbers while that window binds and NaN otherwise. A window's gauges are registered the
 * first time a response names it. Reading a response's {@code X-Ratelimit-Period} is a header
 * lookup, too dear for every response, so it is read only when the response's reset time differs
 * from the previous one's: a switch of the binding window always moves the reset (the windows
 * are aligned, so a longer one resets later), and so does each second that passes, which bounds
 * how late a switch is seen to about a second. At most {@link #MAX_WINDOWS} windows per quota.
 * Not for users.
 */
public final class QuotaMeters {
  /** Assignr has three windows; a server naming more does not get more gauges. */
  public static final int MAX_WINDOWS = 4;

  private final String key;
  /** What the quota's gate knows now; null for an ignored quota. */
  private final Supplier<GateState> gate;
  private final MeterRegistry registry;
  private final Tags tags;
  private final Counter closures;
  private final Counter degradations;
  private final long[] windows = new long[MAX_WINDOWS];
  private int windowCount;
  /** The reset seconds of the last response seen; a plain field: a stale read costs one lookup. */
  private long lastResetSeconds = Long.MIN_VALUE;

  private QuotaMeters(String key, Supplier<GateState> gate, MeterRegistry registry, Tags tags) {
    this.key = key;
    this.gate = gate;
    this.registry = registry;
    this.tags = tags == null ? null : tags.and("quota", key);
    if (gate == null) {
      closures = null;
      degradations = null;
      return;
    }
    Gauge.builder("assignr.gate.closed", this, q -> q.state().closed() ? 1 : 0).tags(this.tags)
        .description("1 while the quota's rate-limit gate is closed").register(registry);
    TimeGauge.builder("assignr.gate.opens.in", this, TimeUnit.NANOSECONDS, q -> q.state().closedFor().toNanos())
        .tags(this.tags).description("Time until the quota's rate-limit gate opens; 0 when open")
        .register(registry);
    Gauge.builder("assignr.gate.in.flight", this, q -> q.state().inFlight()).tags(this.tags)
        .description("Attempts admitted by the gate and not yet answered").register(registry);
    for (GateState.Mode mode : GateState.Mode.values()) {
      Gauge.builder("assignr.gate.store", this, q -> q.state().mode() == mode ? 1 : 0).tags(this.tags)
          .tag("mode", mode.name().toLowerCase(Locale.ROOT))
          .description("1 for the mode the gate's state is in (local, shared, degraded)").register(registry);
    }
    closures = Counter.builder("assignr.gate.closures").tags(this.tags)
        .description("Times the quota's rate-limit gate closed").register(registry);
    degradations = Counter.builder("assignr.gate.store.degradations").tags(this.tags)
        .description("Times the shared store stopped answering and the local gate took over").register(registry);
  }

  /**
   * Registers the gauges of quota {@code key}, read from {@code state} at every scrape.
   *
   * @param registry where the meters go
   * @param tags the binder's common tags
   * @param key the quota
   * @param state what the quota's gate knows now
   * @return the meters
   */
  public static QuotaMeters register(MeterRegistry registry, Tags tags, String key, Supplier<GateState> state) {
    return new QuotaMeters(key, state, registry, tags);
  }

  /** A quota that gets no meters (beyond the binder's {@code maxQuotas}). */
  public static QuotaMeters ignored(String key) {
    return new QuotaMeters(key, null, null, null);
  }

  public String key() {
    return key;
  }

  /** Whether this quota has meters. */
  public boolean active() {
    return gate != null;
  }

  /** A response's rate-limit headers: registers its window's gauges the first time it binds. */
  public void observed(RateLimitInfo info) {
    long reset = info.untilResetSeconds();
    if (reset == lastResetSeconds) return;
    lastResetSeconds = reset;
    OptionalLong period = info.periodSeconds();
    if (period.isPresent() && period.getAsLong() > 0) window(period.getAsLong());
  }

  public void closed() {
    closures.increment();
  }

  public void degraded() {
    degradations.increment();
  }

  private synchronized void window(long period) {
    for (int i = 0; i < windowCount; i++) {
      if (windows[i] == period) return;
    }
    if (windowCount == MAX_WINDOWS) return;
    windows[windowCount++] = period;
    Tags windowTags = tags.and("window", period + "s");
    Gauge.builder("assignr.ratelimit.remaining", this, q -> q.remaining(period)).tags(windowTags)
        .description("Requests left in this window while it binds; NaN while another one does")
        .register(registry);
    Gauge.builder("assignr.ratelimit.limit", this, q -> q.limit(period)).tags(windowTags)
        .description("This window's request limit while it binds; NaN while another one does")
        .register(registry);
  }

  private GateState state() {
    return gate.get();
  }

  private double remaining(long period) {
    GateState s = state();
    return s.periodSeconds() == period && s.remaining() >= 0 ? s.remaining() : Double.NaN;
  }

  private double limit(long period) {
    GateState s = state();
    return s.periodSeconds() == period && s.limit() >= 0 ? s.limit() : Double.NaN;
  }
}
