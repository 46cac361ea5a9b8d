package com.assignr.resilience;

/** When an outcome may be retried. */
public enum RetryRule {
  /** Never retried: the outcome is final. */
  NEVER,
  /**
   * Retried only for idempotent methods (by default GET, HEAD, OPTIONS, PUT, DELETE), because the
   * server may already have acted on the request. Callers can opt non-idempotent methods in.
   */
  IDEMPOTENT,
  /** Retried for every method: the server did not act on the request. */
  ALWAYS
}
