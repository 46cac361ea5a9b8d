package com.assignr.resilience.spi;

import com.assignr.resilience.GatePolicy;
import com.assignr.resilience.GateState;
import com.assignr.resilience.RateLimitInfo;
import com.assignr.resilience.TimeSource;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * One account's quota, shared by every caller that draws on it: the part of this library that
 * keeps a whole fleet of callers inside Assignr's limits instead of letting each of them discover
 * the limit with its own 429. The executor asks it before every attempt and tells it how every
 * admitted attempt ended; it never waits itself (waiting is the caller's job, within the engine's
 * caps, the deadline and cancellation).
 *
 * <p>This is also the SPI of a {@link GateStore}: the default, in-process implementation ({@link
 * #local}) keeps the state in this JVM (its design, with the numbers, is described on {@code
 * LocalRateLimitGate}); a fleet-wide store keeps it where several JVMs can share it. The contract
 * is small:
 *
 * <ol>
 *   <li><b>Admit</b> one attempt: {@link #tryAcquire} answers a {@link Permit} or how long to wait.
 *   <li><b>Learn</b> from the answer of every admitted attempt: {@link Permit#onResponse}, or end
 *       an admitted attempt that got no answer: {@link Permit#release()}. Exactly one of them
 *       answers every permit.
 *   <li><b>Close</b> until an instant: a 429, or {@code Remaining} at the reserve, closes the
 *       gate until the reset; every caller then waits, not only the one that was refused.
 *   <li><b>Release</b> the waiters of a closed gate spread out ({@link GatePolicy#releaseSpacing()}),
 *       not in one herd.
 * </ol>
 *
 * <p>Every time argument is the caller's {@link TimeSource#nanoTime()} reading; a shared store may
 * use its own clock instead, so that instances with skewed clocks agree.
 */
public interface RateLimitGate {

  /** The quota this gate guards (see {@link com.assignr.resilience.QuotaKey}); never a credential. */
  String quotaKey();

  /**
   * Asks to send one attempt now.
   *
   * <p>A caller told to wait comes back after the wait; while the gate is closed, the k-th such
   * caller is told to come back {@code k × releaseSpacing} after the reopening, and that place is
   * held for it. A wait longer than {@code maxWaitNanos} (the engine's limit: the cap on server
   * waits, or the time left before the deadline) takes no place: the caller gives up, and must
   * not push later callers back.
   *
   * @param nowNanos the caller's {@link TimeSource#nanoTime()}
   * @param maxWaitNanos the longest wait this caller will accept
   * @return a {@link Permit} (answer it exactly once), or the {@link Admission.Wait} before asking
   *     again
   */
  Admission tryAcquire(long nowNanos, long maxWaitNanos);

  /**
   * {@link #tryAcquire} for callers that must not block (the async paths). A store that does I/O
   * answers without parking the calling thread; the in-process gate answers at once.
   *
   * @param nowNanos the caller's {@link TimeSource#nanoTime()}
   * @param maxWaitNanos the longest wait this caller will accept
   * @return the same answer as {@link #tryAcquire}, when known
   */
  default CompletionStage<Admission> tryAcquireAsync(long nowNanos, long maxWaitNanos) {
    return CompletableFuture.completedFuture(tryAcquire(nowNanos, maxWaitNanos));
  }

  /**
   * Whether {@link #tryAcquire} answers without I/O, so that the async paths may call it directly
   * instead of going through {@link #tryAcquireAsync} (a future and a stage per attempt). True for
   * the in-process gate; a store that talks to a server answers false.
   *
   * @return whether admission never blocks
   */
  default boolean admitsWithoutIo() {
    return true;
  }

  /**
   * Learns from a response whose attempt was not admitted through this gate (for example one the
   * user's own code made): {@link Permit#onResponse} without the in-flight bookkeeping.
   *
   * @param status the HTTP status
   * @param info the response's rate-limit headers
   * @param nowNanos when the response arrived ({@link TimeSource#nanoTime()})
   */
  void learn(int status, RateLimitInfo info, long nowNanos);

  /**
   * What the gate knows now, for metrics and health checks.
   *
   * @return a snapshot
   */
  GateState state();

  /**
   * The in-process gate: the default {@link GateStore}'s, and the fallback of a shared store.
   *
   * @param context the quota and the settings
   * @return a new gate that knows nothing yet
   */
  static RateLimitGate local(GateStore.Context context) {
    return new LocalRateLimitGate(context, null);
  }

  /**
   * An in-process gate that starts from what another gate knew: a shared store falling back to
   * its local gate seeds it with the last shared state, so a closed quota stays closed.
   *
   * @param context the quota and the settings
   * @param seed the state to start from (its remaining budget, reset and closure), or null
   * @return a new gate
   */
  static RateLimitGate local(GateStore.Context context, GateState seed) {
    return new LocalRateLimitGate(context, seed);
  }
}
