package com.assignr.resilience.spring.boot.internal;

import com.assignr.resilience.AssignrResilience;
import com.assignr.resilience.GateState;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The details of the {@code assignr} health component, the same on both Boot lines (whose health
 * types differ). It is always UP: a throttled application is waiting as it should, not broken,
 * and a DOWN here would get healthy instances restarted by their orchestrator exactly when Assignr
 * asks everyone to slow down. The details say what an operator wants to know: per quota, whether
 * the gate is closed and for how long, what is left of the binding window, attempts in flight, and
 * where the state lives ({@code local}, {@code shared}, or {@code degraded} when a shared store is
 * unreachable). No credential appears: quota keys never contain one. Not for users.
 */
public final class GateHealth {
  private GateHealth() {}

  /** The details, in a stable order. */
  public static Map<String, Object> details(AssignrResilience resilience) {
    Map<String, Object> quotas = new LinkedHashMap<>();
    boolean anyClosed = false;
    boolean anyDegraded = false;
    for (GateState s : resilience.gates()) {
      anyClosed |= s.closed();
      anyDegraded |= s.mode() == GateState.Mode.DEGRADED;
      Map<String, Object> d = new LinkedHashMap<>();
      d.put("gate", s.closed() ? "closed" : "open");
      if (s.closed()) d.put("opensInMillis", s.closedFor().toMillis());
      if (s.remaining() >= 0) d.put("remaining", s.remaining());
      if (s.limit() >= 0) d.put("limit", s.limit());
      if (s.periodSeconds() >= 0) d.put("windowSeconds", s.periodSeconds());
      if (s.untilReset() != null) d.put("resetInMillis", s.untilReset().toMillis());
      d.put("inFlight", s.inFlight());
      d.put("store", s.mode().name().toLowerCase(Locale.ROOT));
      quotas.put(s.quotaKey(), d);
    }
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("gate", resilience.gatePolicy().enabled() ? (anyClosed ? "closed" : "open") : "disabled");
    details.put("store", anyDegraded ? "degraded" : "ok");
    details.put("quotas", quotas);
    return details;
  }
}
