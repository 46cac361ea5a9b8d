package com.assignr.resilience.redis.internal;

import com.assignr.resilience.GatePolicy;
import com.assignr.resilience.GateState;
import com.assignr.resilience.RateLimitInfo;
import com.assignr.resilience.spi.Admission;
import com.assignr.resilience.spi.RateLimitGate;

/**
 * The local gate of an instance that cannot reach Redis, held to its share of the window (issue 21).
 *
 * <p>Degraded, an instance knows only its own attempts in flight, while the rest of the fleet keeps
 * spending the same account; one that started without Redis has heard of no one. Taking everything
 * above the reserve, as a lone in-process gate does, is what made cold fleets collect 429s. So the
 * in-process gate's rules apply (closures, the reserve, the people's share), and on top of them at
 * most {@code share} of what the window has above its reserve is in flight here at once, or of the
 * cold-start cap while no budget is known; rounded up, at least one. The check and the admission
 * are one step under a lock: degraded mode is the rare path, and a lock costs nothing next to what
 * the fleet's shared state would have cost.
 */
final class ShareOfLocalGate implements RateLimitGate {
  /** As the in-process gate's recheck when budget is held by attempts in flight. */
  private static final long RECHECK_NANOS = 50_000_000L;

  private final RateLimitGate local;
  private final GatePolicy policy;
  private final double share;

  ShareOfLocalGate(RateLimitGate local, GatePolicy policy, double share) {
    this.local = local;
    this.policy = policy;
    this.share = share;
  }

  @Override
  public String quotaKey() {
    return local.quotaKey();
  }

  @Override
  public synchronized Admission tryAcquire(long nowNanos, long maxWaitNanos) {
    GateState s = local.state();
    if (!s.closed()) {
      long cap = s.remaining() >= 0
          ? (long) Math.ceil(share * Math.max(0, s.remaining() - policy.reserveFor(s.limit())))
          : (long) Math.ceil(share * policy.coldStartConcurrency());
      if (s.inFlight() >= Math.max(1, cap)) return Admission.waitFor(RECHECK_NANOS);
    }
    return local.tryAcquire(nowNanos, maxWaitNanos);
  }

  @Override
  public void learn(int status, RateLimitInfo info, long nowNanos) {
    local.learn(status, info, nowNanos);
  }

  @Override
  public GateState state() {
    return local.state();
  }

  @Override
  public String toString() {
    return "ShareOfLocalGate{" + share + ", " + local + '}';
  }
}
