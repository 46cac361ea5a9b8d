package com.assignr.resilience;

import java.time.Duration;
import java.util.Objects;

/**
 * Per-call inputs to the {@link RetryExecutor}: the caller's own deadline and cancellation, and
 * the rate-limit gate of the call's quota.
 *
 * @param gate the quota's gate (from {@link AssignrResilience#gateFor}); null to bypass gating
 * @param timeout the caller's deadline for the whole call (OkHttp's call timeout, {@code
 *     HttpRequest.timeout()}), or null; the policy's {@code totalTimeout} applies as well
 * @param cancellation tells waits and retries that the caller gave up
 */
public record CallOptions(RateLimitGate gate, Duration timeout, CancellationSignal cancellation) {
  public CallOptions {
    Objects.requireNonNull(cancellation, "cancellation");
    if (timeout != null && (timeout.isNegative() || timeout.isZero())) timeout = null;
  }

  /** No gate, no deadline of the caller's, never cancelled. */
  public static CallOptions none() {
    return new CallOptions(null, null, CancellationSignal.NEVER);
  }

  public CallOptions withGate(RateLimitGate gate) {
    return new CallOptions(gate, timeout, cancellation);
  }

  public CallOptions withTimeout(Duration timeout) {
    return new CallOptions(gate, timeout, cancellation);
  }

  public CallOptions withCancellation(CancellationSignal cancellation) {
    return new CallOptions(gate, timeout, cancellation);
  }
}
