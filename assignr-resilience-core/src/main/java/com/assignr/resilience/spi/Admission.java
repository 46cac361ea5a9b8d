package com.assignr.resilience.spi;

/**
 * A {@link RateLimitGate}'s answer to one request for admission: a {@link Permit} to send the
 * attempt now, or a {@link Wait} before asking again.
 *
 * <p>Admission is a value so that the gate's one rule for callers — every admission is answered
 * exactly once, with the response or a release — is held by the type: the caller holds the permit
 * until it answers it, and a gate that keeps per-admission state (a shared store's lease) finds it
 * on the permit instead of guessing which answer belongs to which admission.
 */
public sealed interface Admission permits Permit, Admission.Wait {

  /**
   * Come back after {@code nanos}: the gate is closed, or pacing, or the quota is spent.
   *
   * @param nanos how long to wait before asking again; positive
   */
  record Wait(long nanos) implements Admission {
    /**
     * Checks the wait.
     *
     * @param nanos how long to wait; positive
     */
    public Wait {
      if (nanos <= 0) throw new IllegalArgumentException("a wait must be positive, was " + nanos + " ns");
    }
  }

  /**
   * The answer "wait {@code nanos}".
   *
   * @param nanos how long to wait before asking again; positive
   * @return the wait
   */
  static Wait waitFor(long nanos) {
    return new Wait(nanos);
  }
}
