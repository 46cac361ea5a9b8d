package com.assignr.resilience;

import java.time.Duration;
import java.util.Objects;

/**
 * A snapshot of one gate, for metrics and health checks: whether it is closed and for how long,
 * what it last learned of the binding window, and where its state lives.
 *
 * @param quotaKey the quota (never a credential)
 * @param closedFor how long the gate stays closed from now; zero when open
 * @param remaining requests left in the binding window as last learned, or -1 when unknown (or
 *     the window has reset since)
 * @param untilReset time until the binding window resets, or null when unknown
 * @param limit the binding rule's limit (180, 500 or 5000 at Assignr), or -1 when unknown
 * @param periodSeconds the binding rule's period in seconds (60, 300 or 3600), or -1 when unknown
 * @param inFlight attempts admitted and not yet answered (this instance's only, for a local gate)
 * @param mode where the state lives
 */
public record GateState(String quotaKey, Duration closedFor, long remaining, Duration untilReset,
    long limit, long periodSeconds, int inFlight, Mode mode) {

  /** Where a gate's state lives. */
  public enum Mode {
    /** In this JVM only (the default store). */
    LOCAL,
    /** In a shared store, agreed by every instance of the fleet. */
    SHARED,
    /** The shared store is unreachable: this instance falls back to its own local gate. */
    DEGRADED
  }

  public GateState {
    Objects.requireNonNull(quotaKey, "quotaKey");
    Objects.requireNonNull(closedFor, "closedFor");
    Objects.requireNonNull(mode, "mode");
  }

  /** Whether the gate is closed now. */
  public boolean closed() {
    return closedFor.compareTo(Duration.ZERO) > 0;
  }
}
