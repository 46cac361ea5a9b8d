package com.assignr.resilience;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One account's quota, shared by every thread and every client built from one {@link
 * AssignrResilience}: the part of this library that keeps a whole fleet of callers inside
 * Assignr's limits instead of letting each of them discover the limit with its own 429.
 *
 * <h2>How is the gate designed, and why?</h2>
 *
 * <p>Assignr applies three fixed, aligned windows at once (180 requests per 60 s, 500 per 300 s,
 * 5000 per 3600 s) and describes, on every response, the rule with the fewest requests left:
 * {@code Remaining} and the seconds until that rule's window resets. Retrying each 429 on its own
 * (what a Failsafe or Resilience4j policy does) has two costs: every thread must be refused once
 * before it learns to wait, and all of them return at the reset in one burst that empties the
 * next window at once. The gate instead learns the budget from every response and admits attempts
 * against it.
 *
 * <ul>
 *   <li><b>Budget.</b> It keeps the last {@code Remaining} and when that window resets, packed in
 *       one {@link AtomicLong} so that learning and admitting take no lock. Attempts admitted and
 *       not yet answered are counted as in flight: an attempt is admitted only while {@code
 *       remaining - inFlight > reserve}. Example: remaining 10, reserve 2, eight threads: all eight
 *       go; their answers say 9…2, and the gate closes at 2 without a single 429.
 *   <li><b>Which window binds.</b> An answer replaces the budget when it shows fewer requests
 *       left, or when the known window has reset. Until then {@code Remaining} can only fall, so an
 *       answer with more left is a stale, out-of-order one and is ignored: a 200 that overtakes a
 *       429 cannot reopen the budget.
 *   <li><b>Closing.</b> A 429, or {@code Remaining} reaching the reserve (default 2, left for the
 *       people using Assignr's web app on the same account), closes the gate until the reset plus
 *       the policy's margin. Every new attempt then waits, not only the one that was refused.
 *   <li><b>Reopening without a herd.</b> The k-th caller that finds the gate closed is told to
 *       come back at {@code reset + k × releaseSpacing} (20 ms by default: 180 waiting callers
 *       return over 3.6 s), so the first answers of the new window are learned before most of them
 *       are admitted.
 *   <li><b>Cold start.</b> While no budget is known (at start, or once a window has reset) and
 *       no answer has arrived since, at most {@code coldStartConcurrency} attempts (default 10)
 *       are in flight: a crowd of 200 callers starting together would otherwise spend Assignr's
 *       whole 180-request window, and collect 429s, before the first answer arrived.
 *   <li><b>Pacing (optional).</b> With pacing on, admissions are spread evenly over what is left
 *       of the window, {@code (reset - now) / (remaining - reserve)} apart, instead of bursting.
 * </ul>
 *
 * <p>Waiting is the caller's job: {@link #tryAcquire()} answers at once with 0 (admitted) or the
 * nanoseconds to wait before asking again, so the async adapters schedule and the sync ones sleep,
 * each within its own caps, deadline and cancellation. Every admitted attempt must be followed by
 * exactly one {@link #onResponse} or {@link #release()}.
 */
public final class RateLimitGate {
  private static final long UNKNOWN = -1L;
  private static final int REMAINING_BITS = 20;
  private static final long REMAINING_MASK = (1L << REMAINING_BITS) - 1;
  private static final long NANOS_PER_MILLI = 1_000_000L;
  /** When budget is only held by attempts in flight, look again this soon. */
  private static final long IN_FLIGHT_RECHECK_NANOS = 50_000_000L;

  private final String quotaKey;
  private final TimeSource time;
  private final RetryListener listener;
  private final int reserve;
  private final int coldStartConcurrency;
  private final long releaseSpacingNanos;
  private final long marginNanos;
  private final long fallbackClosureNanos;
  private final boolean pacing;
  private final long baseNanos;

  /** (reset time in ms since baseNanos) << 20 | remaining; UNKNOWN when no usable answer yet. */
  private final AtomicLong window = new AtomicLong(UNKNOWN);
  private final AtomicInteger inFlight = new AtomicInteger();
  /** When the last response arrived (ticker nanos); before baseNanos until one has. */
  private volatile long lastAnswer;
  private final AtomicLong closedUntil;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicLong releaseTickets = new AtomicLong();
  private final AtomicLong nextPacedAdmission;

  RateLimitGate(String quotaKey, TimeSource time, RetryListener listener, int reserve,
      int coldStartConcurrency, Duration releaseSpacing, Duration margin, Duration fallbackClosure,
      boolean pacing) {
    this.coldStartConcurrency = coldStartConcurrency;
    this.quotaKey = Objects.requireNonNull(quotaKey, "quotaKey");
    this.time = time;
    this.listener = listener;
    this.reserve = reserve;
    this.releaseSpacingNanos = releaseSpacing.toNanos();
    this.marginNanos = margin.toNanos();
    this.fallbackClosureNanos = fallbackClosure.toNanos();
    this.pacing = pacing;
    this.baseNanos = time.nanoTime();
    this.closedUntil = new AtomicLong(baseNanos);
    this.lastAnswer = baseNanos - 1;
    this.nextPacedAdmission = new AtomicLong(baseNanos);
  }

  /** The quota this gate guards: the host and a hash of the credentials, never the credentials. */
  public String quotaKey() {
    return quotaKey;
  }

  /**
   * Asks to send one attempt now.
   *
   * @return 0 when admitted (follow with exactly one {@link #onResponse} or {@link #release()}),
   *     else the nanoseconds to wait before asking again
   */
  public long tryAcquire() {
    return tryAcquire(time.nanoTime());
  }

  /** {@link #tryAcquire()} at {@code now}, for callers that have just read the clock. */
  long tryAcquire(long now) {
    // closedUntil alone decides; the closed flag only drives the opened/closed events.
    long wait = closedUntil.get() - now;
    if (wait > 0) return wait + releaseTickets.getAndIncrement() * releaseSpacingNanos;
    if (closed.get() && closed.compareAndSet(true, false)) listener.onGateOpened(quotaKey);
    long w = window.get();
    if (w != UNKNOWN) {
      long resetAt = resetAt(w);
      if (now - resetAt < 0) {
        long remaining = w & REMAINING_MASK;
        int admitted = inFlight.incrementAndGet();
        long spare = remaining - reserve - admitted;
        if (spare < 0) {
          inFlight.decrementAndGet();
          if (remaining <= reserve) {
            return close(resetAt + marginNanos, now, "remaining reached the reserve of " + reserve);
          }
          return Math.min(IN_FLIGHT_RECHECK_NANOS, resetAt + marginNanos - now);
        }
        if (pacing) {
          long paced = pace(now, (resetAt - now) / (spare + 1));
          if (paced > 0) {
            inFlight.decrementAndGet();
            return paced;
          }
        }
        return 0;
      }
    }
    // Nothing known (a cold start, or the window has reset): until the first answer since then,
    // only a few attempts go ahead, so that answer can teach the gate the budget; the rest look
    // again shortly. (A server that sends no rate-limit headers is not throttled beyond that.)
    long unknownSince = w == UNKNOWN ? baseNanos : resetAt(w);
    boolean answeredSince = lastAnswer - unknownSince >= 0;
    if (inFlight.incrementAndGet() > coldStartConcurrency && !answeredSince) {
      inFlight.decrementAndGet();
      return IN_FLIGHT_RECHECK_NANOS;
    }
    return 0;
  }

  /**
   * Blocks until admitted, for callers of other clients that wait on their own thread.
   *
   * @return false when admission would take longer than {@code maxWait} or the signal fired
   * @throws InterruptedException if the thread is interrupted while waiting
   */
  public boolean acquire(Duration maxWait, CancellationSignal signal) throws InterruptedException {
    long deadline = time.nanoTime() + maxWait.toNanos();
    for (long wait = tryAcquire(); wait > 0; wait = tryAcquire()) {
      if (time.nanoTime() + wait - deadline > 0 || signal.isCancelled()) return false;
      time.sleep(wait, signal);
      if (signal.isCancelled()) return false;
    }
    return true;
  }

  /** Ends an admitted attempt that produced no response (an I/O failure, a cancellation). */
  public void release() {
    inFlight.decrementAndGet();
  }

  /** Ends an admitted attempt with its response, and learns from its headers. */
  public void onResponse(int status, RateLimitInfo info) {
    onResponse(status, info, time.nanoTime());
  }

  /** {@link #onResponse(int, RateLimitInfo)} at {@code now}. */
  void onResponse(int status, RateLimitInfo info, long now) {
    inFlight.decrementAndGet();
    learn(status, info, now);
  }

  /**
   * Learns from a response whose attempt was not admitted through this gate (for example one a
   * user's own code made). Same as {@link #onResponse} without the in-flight bookkeeping.
   */
  public void learn(int status, RateLimitInfo info) {
    learn(status, info, time.nanoTime());
  }

  private void learn(int status, RateLimitInfo info, long now) {
    if (now - lastAnswer > 0) lastAnswer = now;
    if (!info.isPresent() && status != 429) return;
    long seconds = info.untilResetSeconds();
    long remaining = info.remainingOrNegative();
    if (status == 429) {
      long wait = seconds >= 0 ? seconds * 1_000_000_000L
          : info.retryAfter(time.clock()).map(Duration::toNanos).orElse(fallbackClosureNanos);
      update(0, now + wait, now);
      listener.onRateLimitObserved(quotaKey, info);
      close(now + wait + marginNanos, now, "429 Too Many Requests");
      return;
    }
    if (remaining < 0 || seconds < 0) return;
    long resetAt = now + seconds * 1_000_000_000L;
    update(remaining, resetAt, now);
    listener.onRateLimitObserved(quotaKey, info);
    if (remaining <= reserve) {
      close(resetAt + marginNanos, now, "remaining reached the reserve of " + reserve);
    }
  }

  /** Whether the gate is closed right now. */
  public boolean isClosed() {
    return closedUntil.get() - time.nanoTime() > 0;
  }

  /** Attempts admitted and not yet answered. */
  public int inFlight() {
    return inFlight.get();
  }

  /** The last learned number of requests left, or -1 when unknown or the window has reset. */
  public long knownRemaining() {
    long w = window.get();
    if (w == UNKNOWN || time.nanoTime() - resetAt(w) >= 0) return -1;
    return w & REMAINING_MASK;
  }

  /**
   * Adopts an answer's budget when nothing is known, when the known window has reset, or when it
   * shows fewer requests left. Until the binding rule's reset, {@code Remaining} can only fall, so
   * an answer with more left is stale (it overtook a later one) or describes a rule that does not
   * bind: either way it must not raise the budget.
   */
  private void update(long remaining, long resetAt, long now) {
    long packed = pack(Math.min(remaining, REMAINING_MASK), resetAt);
    long current;
    do {
      current = window.get();
      if (current != UNKNOWN
          && now - resetAt(current) < 0
          && remaining >= (current & REMAINING_MASK)) {
        return;
      }
    } while (!window.compareAndSet(current, packed));
  }

  private long close(long until, long now, String reason) {
    long previous = closedUntil.getAndAccumulate(until, Math::max);
    if (closed.compareAndSet(false, true)) {
      releaseTickets.set(1);
      listener.onGateClosed(quotaKey, Duration.ofNanos(Math.max(until, previous) - now), reason);
      return Math.max(until, previous) - now;
    }
    long wait = Math.max(until, previous) - now;
    return wait > 0 ? wait + releaseTickets.getAndIncrement() * releaseSpacingNanos : 0;
  }

  private long pace(long now, long interval) {
    while (true) {
      long next = nextPacedAdmission.get();
      if (next - now > 0) return next - now;
      if (nextPacedAdmission.compareAndSet(next, now + interval)) return 0;
    }
  }

  private long pack(long remaining, long resetAtNanos) {
    long millis = Math.max(0, (resetAtNanos - baseNanos) / NANOS_PER_MILLI);
    return (millis << REMAINING_BITS) | remaining;
  }

  private long resetAt(long packed) {
    return baseNanos + (packed >>> REMAINING_BITS) * NANOS_PER_MILLI;
  }

  @Override
  public String toString() {
    return "RateLimitGate{" + quotaKey + ", remaining=" + knownRemaining() + ", inFlight="
        + inFlight.get() + (isClosed() ? ", closed" : ", open") + '}';
  }
}
