package com.assignr.resilience;

import com.assignr.resilience.spi.RateLimitGate;
import com.assignr.resilience.spi.GateStore;

import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The gates of one {@link AssignrResilience}: one per quota key, created by the store on first use. */
final class Gates {
  private static final Logger LOG = LoggerFactory.getLogger(AssignrResilience.class);

  private final boolean enabled;
  private final QuotaKey quotaKey;
  private final GateStore store;
  private final GatePolicy policy;
  private final java.time.Duration margin;
  private final TimeSource time;
  private final RetryListener listener;
  private final ConcurrentMap<String, RateLimitGate> gates = new ConcurrentHashMap<>();
  private final AtomicBoolean warnedAnonymous = new AtomicBoolean();
  /**
   * The last gate looked up: most applications use one account on one host, so this spares the
   * common case a SHA-256 and a key string per request. Only used with the default key, where the
   * host and the credentials alone decide it.
   */
  private volatile LastGate lastGate;

  private record LastGate(String host, String credentials, RateLimitGate gate) {
    @Override
    public String toString() {
      return gate.quotaKey(); // never the credentials
    }
  }

  Gates(GatePolicy policy, GateStore store, QuotaKey quotaKey, java.time.Duration margin, TimeSource time,
      RetryListener listener) {
    this.enabled = policy.enabled();
    this.policy = policy;
    this.store = store;
    this.quotaKey = quotaKey;
    this.margin = margin;
    this.time = time;
    this.listener = listener;
  }

  /** The gate of {@code request}'s quota, or null when gating is disabled. */
  RateLimitGate gateFor(RequestInfo request, String credentials) {
    if (!enabled) return null;
    boolean byHostAndCredentials = quotaKey == QuotaKey.hostAndCredentials();
    if (byHostAndCredentials) {
      LastGate last = lastGate;
      if (last != null && last.host.equals(request.host()) && Objects.equals(last.credentials, credentials)) {
        return last.gate;
      }
    }
    String key = quotaKey.keyFor(request, credentials);
    if (key == null || key.isBlank()) {
      throw new IllegalStateException("QuotaKey " + quotaKey + " returned no key for " + request);
    }
    if (credentials == null && byHostAndCredentials && warnedAnonymous.compareAndSet(false, true)) {
      LOG.warn("Calls to {} carry no Authorization header where assignr-resilience sees them, so"
          + " their rate-limit gate is keyed \"{}\". If an interceptor adds credentials later in the"
          + " chain, or tokens rotate, name the quota with AssignrResilience.Builder.quotaKey(...)",
          request.host(), key);
    }
    RateLimitGate gate = gates.computeIfAbsent(key,
        k -> store.gate(new GateStore.Context(k, policy, margin, time, listener)));
    if (byHostAndCredentials) lastGate = new LastGate(request.host(), credentials, gate);
    return gate;
  }

  Optional<RateLimitGate> gate(String key) {
    return Optional.ofNullable(gates.get(key));
  }

  Collection<RateLimitGate> all() {
    return List.copyOf(gates.values());
  }

  @Override
  public String toString() {
    return gates.keySet().toString();
  }
}
