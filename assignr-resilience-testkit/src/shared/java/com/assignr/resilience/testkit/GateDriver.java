package com.assignr.resilience.testkit;

import com.assignr.resilience.GateState;
import com.assignr.resilience.RateLimitInfo;

import com.assignr.resilience.spi.Admission;
import com.assignr.resilience.spi.Permit;
import com.assignr.resilience.spi.RateLimitGate;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Drives one {@link RateLimitGate} through a test's timeline, one step per line, as a single
 * caller would: {@link #tryAcquire} answers 0 (admitted: the permit is held here) or the wait, and
 * the next {@link #onResponse} or {@link #release} answers the oldest permit still held. Not for
 * concurrent callers: each thread of a concurrent test holds its own {@link Permit}s.
 *
 * <pre>{@code
 * VirtualTime time = VirtualTime.manual();
 * GateStore.Context context = new GateStore.Context("assignr:club-42", GatePolicy.defaults(),
 *     Duration.ofSeconds(1), time, RetryListener.NONE);
 * GateDriver gate = GateDriver.of(GateStore.local().gate(context));
 * assertEquals(0, gate.tryAcquire(time.nanoTime(), Long.MAX_VALUE));
 * gate.onResponse(429, RateLimitInfo.from(
 *     name -> name.equals(RateLimitInfo.RESET_SECONDS_REMAINING) ? "30" : null), time.nanoTime());
 * assertTrue(gate.state().closed());
 * }</pre>
 */
public final class GateDriver {
  private final RateLimitGate gate;
  private final Deque<Permit> held = new ArrayDeque<>();

  private GateDriver(RateLimitGate gate) {
    this.gate = gate;
  }

  /**
   * A driver of {@code gate}.
   *
   * @param gate the gate to drive
   * @return a new driver holding no permit
   */
  public static GateDriver of(RateLimitGate gate) {
    return new GateDriver(gate);
  }

  /**
   * The gate driven.
   *
   * @return the gate
   */
  public RateLimitGate gate() {
    return gate;
  }

  /**
   * Asks the gate to admit one attempt; a permit is held until answered.
   *
   * @param now the caller's time
   * @param maxWaitNanos the longest wait the caller accepts
   * @return 0 when admitted, else the wait
   */
  public long tryAcquire(long now, long maxWaitNanos) {
    Admission answer = gate.tryAcquire(now, maxWaitNanos);
    if (answer instanceof Permit) {
      held.add((Permit) answer);
      return 0;
    }
    return ((Admission.Wait) answer).nanos();
  }

  /**
   * Answers the oldest permit held with a response.
   *
   * @param status the HTTP status
   * @param info its rate-limit headers
   * @param now when it arrived
   */
  public void onResponse(int status, RateLimitInfo info, long now) {
    held.remove().onResponse(status, info, now);
  }

  /** Answers the oldest permit held without a response. */
  public void release() {
    held.remove().release();
  }

  /**
   * Teaches the gate a response no permit of it asked for.
   *
   * @param status the HTTP status
   * @param info its rate-limit headers
   * @param now when it arrived
   */
  public void learn(int status, RateLimitInfo info, long now) {
    gate.learn(status, info, now);
  }

  /**
   * What the gate knows now.
   *
   * @return its state
   */
  public GateState state() {
    return gate.state();
  }

  /**
   * The gate's quota.
   *
   * @return the key
   */
  public String quotaKey() {
    return gate.quotaKey();
  }

  @Override
  public String toString() {
    return gate.toString();
  }
}
