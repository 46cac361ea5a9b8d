package com.assignr.resilience.spi;

import com.assignr.resilience.GatePolicy;
import com.assignr.resilience.GateState;
import com.assignr.resilience.RateLimitInfo;
import com.assignr.resilience.RetryListener;
import com.assignr.resilience.TimeSource;

import com.assignr.resilience.internal.RateLimitHeaders;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The in-process {@link RateLimitGate}: one account's quota, shared by every thread and every
 * client built from one {@link com.assignr.resilience.AssignrResilience}.
 *
 * <p>Its rules are specified, with the Redis store's scripts, by one table of scenarios: the
 * testkit's {@code GateContract} ({@code gate-contract.txt}), which both pass (the testkit's
 * {@code LocalGateContractTest} runs it on this class; core's tests cannot, as the testkit
 * depends on core).
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
 *       429 cannot reopen the budget. (Nor can a slow answer whose computed reset lands later.)
 *   <li><b>When a window has reset.</b> Assignr rounds the seconds to the reset down, so the true
 *       reset is up to a second after the one computed: a known budget holds until its reset
 *       <em>plus the margin</em>. An answer in a window's last second says "0 s"; believing the
 *       reset at once would admit without limit while Assignr still counts the old window. The
 *       cost of waiting for the margin is small: a window that ends exhausted keeps the gate
 *       closed that long anyway.
 *   <li><b>Closing.</b> A 429, or {@code Remaining} reaching the reserve (the larger of {@link
 *       GatePolicy#reserve()} and the people's share of the binding rule's limit, {@link
 *       GatePolicy#reserveFor}: left for the people using Assignr's web app on the same account; by
 *       default 45 of 180), closes the gate until the reset plus
 *       the policy's margin. Every new attempt then waits, not only the one that was refused.
 *       A closure is announced once ({@code onGateClosed}; a later answer only extends it) and
 *       its end once ({@code onGateOpened}, at the first admission or answer after it); a 429
 *       after a closure that ended unseen begins a new one, announced, with places from 1.
 *   <li><b>The people's own requests come out of their share</b> (issue 21). The gate cannot see
 *       them, but it sees the window's {@code Remaining} fall by more than its own answers (logged
 *       by second) and attempts in flight account for since the window began (its reset less its
 *       period): that much the people used, and the share it keeps shrinks by as much ({@link
 *       GatePolicy#reserveFor(long, long)}), never below the reserve. Only for a window the gate
 *       saw begin (one first seen half spent may have been spent by this application before a
 *       restart); every error counts the people's use short, so the share errs their way.
 *       Separate gates in several processes count each other as people: they are not a fleet (a
 *       shared {@link GateStore} is).
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
 * <p>Waiting is the caller's job: {@link #tryAcquire} answers at once with 0 (admitted) or the
 * nanoseconds to wait before asking again, so the async adapters schedule and the sync ones sleep,
 * each within the engine's caps, the deadline and cancellation. A caller whose wait would pass
 * its limit takes no release place, so a crowd of callers that give up cannot push back the ones
 * that wait. Every admitted attempt must be followed by exactly one {@link #onResponse} or {@link
 * #release()}.
 */
final class LocalRateLimitGate implements RateLimitGate {
  private static final long UNKNOWN = -1L;
  private static final int REMAINING_BITS = 20;
  private static final long REMAINING_MASK = (1L << REMAINING_BITS) - 1;
  private static final long NANOS_PER_MILLI = 1_000_000L;
  private static final long NANOS_PER_SECOND = 1_000_000_000L;
  /** When budget is only held by attempts in flight, look again this soon. */
  private static final long IN_FLIGHT_RECHECK_NANOS = 50_000_000L;
  /**
   * The longest the gate believes a closure: Assignr's longest window is an hour, so a reset
   * further out than a day is not waited for by anyone (callers give up at once, as the cap says)
   * and must not shut this gate for longer than that.
   */
  private static final long MAX_CLOSURE_NANOS = java.time.Duration.ofDays(1).toNanos();
  /** The answers log covers Assignr's longest window (an hour) and a minute more. */
  private static final long ANSWERS_LOG_SECONDS = 3660;

  private final String quotaKey;
  private final TimeSource time;
  private final RetryListener listener;
  private final GatePolicy policy;
  /** The limit and period (s) of the budget kept, -1 unknown: whose people's share the window keeps. */
  private volatile long limit = -1;
  private volatile long period = -1;
  /**
   * This gate's answers the server counted, by second (ticker seconds): each second with an
   * answer maps to the answers counted before it, for {@link #ownSince}. Guarded by itself and
   * written once a second at most; an hour and a minute of it is kept. The count itself, and the
   * entry the current window starts from, are read without the lock (an answer counted while a
   * second's entry is written may be off by one: a request of the share, either way).
   */
  private final TreeMap<Long, Long> answersBySecond = new TreeMap<>();
  private final AtomicLong answersCounted = new AtomicLong();
  private volatile long answersSecond = Long.MIN_VALUE;
  private volatile Checkpoint windowCheckpoint = new Checkpoint(Long.MIN_VALUE, 0);

  /** The answers counted before the first second at or after {@code second} that had one. */
  private record Checkpoint(long second, long before) {}
  /**
   * What the people had used of the kept window at the last answer, with the window it is for:
   * read by admissions without a lock. Attempts admitted since cannot be in that answer's {@code
   * Remaining}, so admissions take it as it is; only those in flight at the answer are taken off.
   */
  private volatile PeopleUse peopleUse = PeopleUse.NONE;

  private record PeopleUse(long window, long used) {
    static final PeopleUse NONE = new PeopleUse(UNKNOWN, 0);
  }
  private final int coldStartConcurrency;
  private final long releaseSpacingNanos;
  private final long marginNanos;
  private final long closureWithoutResetNanos;
  private final boolean pacing;
  private final long baseNanos;

  /** (reset time in ms since baseNanos) << 20 | remaining; UNKNOWN when no usable answer yet. */
  private final AtomicLong window = new AtomicLong(UNKNOWN);
  private final AtomicInteger inFlight = new AtomicInteger();
  /** When the last response arrived (ticker nanos); before baseNanos until one has. */
  private volatile long lastAnswer;
  private final AtomicLong closedUntil;
  /**
   * Whether the last closure was announced ({@code onGateClosed}) and its end not yet ({@code
   * onGateOpened}). Read without the lock on every admission and answer; changed, and the two events
   * fired, only under {@link #announcements}, so each closure is announced once and in order.
   */
  private volatile boolean closed;
  private final Object announcements = new Object();
  private final AtomicLong releaseTickets = new AtomicLong();
  private final AtomicLong nextPacedAdmission;
  /**
   * The headers of the last answer that shows no more left than the budget the gate keeps (a stale
   * one, with more left, names no rule), read only by {@link #state()} for the binding rule's limit
   * and period. A plain field on purpose: a stale read costs a metric one
   * response's lag, a volatile write would cost every adopted answer a fence.
   */
  private RateLimitInfo lastInfo = RateLimitInfo.none();

  LocalRateLimitGate(GateStore.Context context, GateState seed) {
    GatePolicy policy = context.policy();
    this.quotaKey = context.quotaKey();
    this.time = context.time();
    this.listener = context.listener();
    this.policy = policy;
    this.coldStartConcurrency = policy.coldStartConcurrency();
    this.releaseSpacingNanos = policy.releaseSpacing().toNanos();
    this.marginNanos = context.rateLimitMargin().toNanos();
    this.closureWithoutResetNanos = policy.closureWithoutReset().toNanos();
    this.pacing = policy.pacing();
    this.baseNanos = time.nanoTime();
    this.closedUntil = new AtomicLong(baseNanos);
    this.lastAnswer = baseNanos - 1;
    this.nextPacedAdmission = new AtomicLong(baseNanos);
    if (seed != null) seed(seed);
  }

  private void seed(GateState seed) {
    long now = baseNanos;
    if (seed.remaining() >= 0 && seed.untilReset() != null) {
      long resetAt = now + Math.min(seed.untilReset().toNanos(), MAX_CLOSURE_NANOS);
      window.set(pack(Math.min(seed.remaining(), REMAINING_MASK), resetAt));
      limit = seed.limit();
      period = seed.periodSeconds();
      lastAnswer = now;
    }
    if (seed.closed()) {
      // The closure was announced where the seed comes from (the shared gate): its end is ours.
      closedUntil.set(now + Math.min(seed.closedFor().toNanos(), MAX_CLOSURE_NANOS));
      closed = true;
      releaseTickets.set(1);
    }
  }

  @Override
  public String quotaKey() {
    return quotaKey;
  }

  @Override
  public Admission tryAcquire(long now, long maxWaitNanos) {
    long wait = admit(now, maxWaitNanos);
    return wait == 0 ? permit : Admission.waitFor(wait);
  }

  /** 0 when admitted (counted in flight until the permit is answered), else the wait. */
  private long admit(long now, long maxWaitNanos) {
    // closedUntil alone decides; the closed flag only drives the opened/closed events.
    long wait = closedUntil.get() - now;
    if (wait > 0) return placeInLine(wait, maxWaitNanos);
    if (closed) announceOpened(now);
    long w = window.get();
    if (known(w, now)) {
      long resetAt = resetAt(w);
      long remaining = w & REMAINING_MASK;
      PeopleUse people = peopleUse;
      long reserve = policy.reserveFor(limit, people.window == w ? people.used : 0);
      int admitted = inFlight.incrementAndGet();
      long spare = remaining - reserve - admitted;
      if (spare < 0) {
        inFlight.decrementAndGet();
        if (remaining <= reserve) {
          close(resetAt + marginNanos, now, "remaining reached the reserve of " + reserve);
          return Math.max(1, resetAt + marginNanos - now);
        }
        return Math.min(IN_FLIGHT_RECHECK_NANOS, resetAt + marginNanos - now);
      }
      if (pacing) {
        long paced = pace(now, Math.max(0, resetAt - now) / (spare + 1));
        if (paced > 0) {
          inFlight.decrementAndGet();
          return paced;
        }
      }
      return 0;
    }
    // Nothing known (a cold start, or the window has reset): until the first answer since then,
    // only a few attempts go ahead, so that answer can teach the gate the budget; the rest look
    // again shortly. (A server that sends no rate-limit headers is not throttled beyond that.)
    long unknownSince = w == UNKNOWN ? baseNanos : resetAt(w) + marginNanos;
    boolean answeredSince = lastAnswer - unknownSince >= 0;
    if (inFlight.incrementAndGet() > coldStartConcurrency && !answeredSince) {
      inFlight.decrementAndGet();
      return IN_FLIGHT_RECHECK_NANOS;
    }
    return 0;
  }

  /**
   * The wait of a caller that found the gate closed for {@code wait} more: its place in the
   * release order is taken only when it will wait that long; one that gives up takes none.
   */
  private long placeInLine(long wait, long maxWaitNanos) {
    while (true) {
      long ticket = releaseTickets.get();
      long placed = wait + ticket * releaseSpacingNanos;
      if (placed > maxWaitNanos) return placed;
      if (releaseTickets.compareAndSet(ticket, ticket + 1)) return placed;
    }
  }

  /**
   * Every admission's permit: the in-flight count is all a local admission holds, so one shared
   * instance serves them all and the common path allocates nothing.
   */
  private final Permit permit = new Permit() {
    @Override
    public void onResponse(int status, RateLimitInfo info, long now) {
      // Counted as the gate's own before it leaves the attempts in flight: never in neither.
      countAnswer(now);
      inFlight.decrementAndGet();
      learnCounted(status, info, now);
    }

    @Override
    public void release() {
      // Ended without an answer, yet the server may have counted it: the gate's own, not the people's.
      countAnswer(time.nanoTime());
      inFlight.decrementAndGet();
    }

    @Override
    public String toString() {
      return "Permit{" + quotaKey + '}';
    }
  };

  @Override
  public void learn(int status, RateLimitInfo info, long now) {
    countAnswer(now);
    learnCounted(status, info, now);
  }

  /**
   * {@link #learn} of an answer already counted as the gate's own. Every answer is (a 429 or one
   * without headers too): counting one the server did not count only makes the people's use look
   * smaller, which errs their way.
   */
  private void learnCounted(int status, RateLimitInfo info, long now) {
    if (now - lastAnswer > 0) lastAnswer = now;
    if (closed && closedUntil.get() - now <= 0) announceOpened(now); // no lock while still closed
    if (!info.isPresent()) {
      if (status != 429) return;
    } else {
      listener.onRateLimitObserved(quotaKey, info); // every answer with headers, adopted or not
    }
    long seconds = info.untilResetSeconds();
    long remaining = info.remainingOrNegative();
    if (seconds < 0) {
      // No plausible reset (RateLimitHeaders): nothing to learn about the window, but "none left"
      // still closes, for a 429's plausible Retry-After or closureWithoutReset.
      long reserve = reserveFor(info, remaining, now, false);
      boolean exhausted = status == 429 || (remaining >= 0 && remaining <= reserve);
      if (!exhausted) return;
      long wait = RateLimitHeaders.closureWithoutResetNanos(status == 429, info.retryAfter(time.clock()),
          closureWithoutResetNanos);
      update(status == 429 ? 0 : remaining, now + wait, now, info);
      close(now + wait + marginNanos, now, status == 429 ? "429 Too Many Requests (no reset given)"
          : "remaining reached the reserve of " + reserve + " (no reset given)");
      return;
    }
    if (status != 429 && remaining < 0) return;
    long resetAt = now + Math.min(seconds * NANOS_PER_SECOND, MAX_CLOSURE_NANOS);
    update(status == 429 ? 0 : remaining, resetAt, now, info);
    if (status == 429) {
      close(resetAt + marginNanos, now, "429 Too Many Requests");
      return;
    }
    long reserve = reserveFor(info, remaining, now, true); // against the window as adopted
    if (remaining <= reserve) close(resetAt + marginNanos, now, "remaining reached the reserve of " + reserve);
  }

  @Override
  public GateState state() {
    long now = time.nanoTime();
    long closedFor = Math.max(0, closedUntil.get() - now);
    long w = window.get();
    long remaining = -1;
    Duration untilReset = null;
    if (known(w, now)) {
      remaining = w & REMAINING_MASK;
      untilReset = Duration.ofNanos(Math.max(0, resetAt(w) - now));
    }
    RateLimitInfo info = lastInfo;
    return new GateState(quotaKey, Duration.ofNanos(closedFor), remaining, untilReset,
        info.limit().orElse(-1), info.periodSeconds().orElse(-1), inFlight.get(), GateState.Mode.LOCAL);
  }

  /** Whether {@code w} is the current window's budget: known, and not past its reset plus the margin. */
  private boolean known(long w, long now) {
    return w != UNKNOWN && now - (resetAt(w) + marginNanos) < 0;
  }

  /**
   * Adopts an answer's budget when nothing is known, when the known window has reset (plus the
   * margin), or when it shows fewer requests left. Until then {@code Remaining} can only fall, so
   * an answer with more left is stale (it overtook a later one, or it was slow and its computed
   * reset lands late) or describes a rule that does not bind: either way it must not raise the
   * budget. The limit and period {@link #state()} reports are those of the adopted answer, or of
   * one that shows as many left: the next window's first answer, within the margin, does.
   */
  private void update(long remaining, long resetAt, long now, RateLimitInfo info) {
    long packed = pack(Math.min(remaining, REMAINING_MASK), resetAt);
    long current;
    do {
      current = window.get();
      if (known(current, now) && remaining >= (current & REMAINING_MASK)) {
        if (remaining == (current & REMAINING_MASK)) adoptInfo(info);
        return;
      }
    } while (!window.compareAndSet(current, packed));
    adoptInfo(info);
  }

  /** The headers {@link #state()} shows, and the rule whose people's share the window keeps. */
  private void adoptInfo(RateLimitInfo info) {
    lastInfo = info;
    limit = info.limit().orElse(-1);
    period = info.periodSeconds().orElse(-1);
  }

  /** One more answer of this gate that the server counted, logged by second. */
  private void countAnswer(long now) {
    long second = Math.floorDiv(now, NANOS_PER_SECOND);
    if (second > answersSecond) {
      synchronized (answersBySecond) {
        if (second > answersSecond) {
          answersBySecond.put(second, answersCounted.get());
          answersBySecond.headMap(second - ANSWERS_LOG_SECONDS).clear();
          answersSecond = second;
        }
      }
    }
    answersCounted.incrementAndGet();
  }

  /** This gate's answers since {@code at}: from the first second at or after its (a few too many can only shrink the people's use). */
  private long ownSince(long at) {
    long second = Math.floorDiv(at, NANOS_PER_SECOND);
    Checkpoint c = windowCheckpoint;
    if (c.second != second) {
      // Once a second at or after it has an entry, the first such entry never changes: looked up once per window.
      synchronized (answersBySecond) {
        Map.Entry<Long, Long> first = answersBySecond.ceilingEntry(second);
        if (first == null) return 0;
        c = new Checkpoint(second, first.getValue());
      }
      windowCheckpoint = c;
    }
    return answersCounted.get() - c.before;
  }

  /**
   * This gate's answers since the window that resets at {@code resetAt} began (its reset less its
   * period): with what {@code Remaining} fell by since, what the people used. -1 for a window this
   * gate did not see begin (what was spent before may have been its own), or whose limit or
   * period it does not know.
   */
  private long ownSinceWindowBegan(long resetAt) {
    long p = period;
    if (limit <= 0 || p <= 0) return -1;
    // Less the margin: Assignr rounds the seconds to a reset down, so the window may have begun that much earlier.
    long start = resetAt - p * NANOS_PER_SECOND - marginNanos;
    return start - baseNanos < 0 ? -1 : ownSince(start);
  }

  /**
   * What a window keeps with {@code remaining} left, by an answer: its own limit names its window
   * (without one, the window kept is the best guess); the people's use is known for the window
   * kept, and is remembered for the admissions that follow ({@link #peopleUse}) when {@code
   * remember} (an answer with a reset; the scripts remember it then too).
   */
  private long reserveFor(RateLimitInfo info, long remaining, long now, boolean remember) {
    if (info.limit().isPresent() && info.limit().getAsLong() != limit) return policy.reserveFor(info.limit().getAsLong());
    long w = window.get();
    if (!known(w, now)) return policy.reserveFor(limit);
    long own = ownSinceWindowBegan(resetAt(w));
    if (own < 0) return policy.reserveFor(limit);
    long l = limit;
    int attempts = inFlight.get();
    // Only 0 up to the whole share makes a difference to the reserve: kept in that range, the
    // record changes (and is allocated) at most a share's worth of times per window.
    long used = Math.max(0, Math.min(policy.reserveFor(l), (l - (w & REMAINING_MASK)) - own - attempts));
    PeopleUse before = peopleUse;
    if (remember && (before.window != w || before.used != used)) peopleUse = new PeopleUse(w, used);
    return policy.reserveFor(l, (l - Math.max(0, remaining)) - own - attempts);
  }

  /**
   * Closes the gate until {@code until}. While a closure is in effect this only extends it (never
   * shortens it): the same closure, announced once. Once it has ended, seen by a caller or not, a
   * new closure begins: its waiters take release places from 1, and it is announced (after the
   * end of the last one, if nobody had seen that yet). A closure that ends by {@code now} is none.
   */
  private void close(long until, long now, String reason) {
    if (until - now <= 0) return;
    long previous = closedUntil.get();
    if (previous - now > 0) {
      closedUntil.accumulateAndGet(until, Math::max);
      return;
    }
    synchronized (announcements) {
      previous = closedUntil.get();
      if (previous - now > 0) { // another thread began it meanwhile
        closedUntil.accumulateAndGet(until, Math::max);
        return;
      }
      // Places first: no caller takes one while closedUntil still shows the closure that ended.
      releaseTickets.set(1);
      closedUntil.accumulateAndGet(until, Math::max);
      if (closed) listener.onGateOpened(quotaKey);
      closed = true;
      listener.onGateClosed(quotaKey, Duration.ofNanos(until - now), reason);
    }
  }

  /** Announces the end of the last closure, once, if it has ended by {@code now}. */
  private void announceOpened(long now) {
    synchronized (announcements) {
      if (closed && closedUntil.get() - now <= 0) {
        closed = false;
        listener.onGateOpened(quotaKey);
      }
    }
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
    GateState state = state();
    return "RateLimitGate{" + quotaKey + ", remaining=" + state.remaining() + ", inFlight="
        + state.inFlight() + (state.closed() ? ", closed" : ", open") + '}';
  }
}
