package com.assignr.resilience.spi;

import com.assignr.resilience.RateLimitInfo;

/**
 * One admitted attempt's place in a quota. Whoever holds it answers it exactly once: with the
 * attempt's response ({@link #onResponse}), or with {@link #release()} when the attempt produced
 * none (an I/O failure, a cancellation, a breaker that refused it after the gate admitted it).
 *
 * <p>A gate whose admissions carry no state of their own may hand out one shared instance (the
 * in-process gate does, so the common path allocates nothing); a shared store's permit carries
 * the lease it took.
 */
public non-sealed interface Permit extends Admission {

  /**
   * Ends the admitted attempt with its response, and teaches the gate its headers (successes
   * included).
   *
   * @param status the HTTP status
   * @param info the response's rate-limit headers
   * @param nowNanos when the response arrived ({@link com.assignr.resilience.TimeSource#nanoTime()})
   */
  void onResponse(int status, RateLimitInfo info, long nowNanos);

  /** Ends the admitted attempt that produced no response: its place is given back. */
  void release();
}
