package com.assignr.resilience.redis.internal;

import static com.assignr.resilience.redis.internal.GateScripts.ADMIT;
import static com.assignr.resilience.redis.internal.GateScripts.ADMITTED;
import static com.assignr.resilience.redis.internal.GateScripts.CLOSED_AT_MICROS;
import static com.assignr.resilience.redis.internal.GateScripts.CLOSED_FOR_MICROS;
import static com.assignr.resilience.redis.internal.GateScripts.CODE;
import static com.assignr.resilience.redis.internal.GateScripts.EXPIRED;
import static com.assignr.resilience.redis.internal.GateScripts.GRANTED;
import static com.assignr.resilience.redis.internal.GateScripts.IN_FLIGHT;
import static com.assignr.resilience.redis.internal.GateScripts.LEARN;
import static com.assignr.resilience.redis.internal.GateScripts.LIMIT;
import static com.assignr.resilience.redis.internal.GateScripts.NOW_MICROS;
import static com.assignr.resilience.redis.internal.GateScripts.PERIOD;
import static com.assignr.resilience.redis.internal.GateScripts.REDIS_TIME;
import static com.assignr.resilience.redis.internal.GateScripts.REMAINING;
import static com.assignr.resilience.redis.internal.GateScripts.REPLY_LENGTH;
import static com.assignr.resilience.redis.internal.GateScripts.SETTLE;
import static com.assignr.resilience.redis.internal.GateScripts.UNTIL_RESET_MICROS;
import static com.assignr.resilience.redis.internal.GateScripts.WAIT;
import static com.assignr.resilience.redis.internal.GateScripts.WAIT_MICROS;
import static com.assignr.resilience.redis.internal.GateScripts.WHY;

import com.assignr.resilience.GatePolicy;
import com.assignr.resilience.GateState;
import com.assignr.resilience.spi.Admission;
import com.assignr.resilience.spi.GateStore;
import com.assignr.resilience.spi.Permit;
import com.assignr.resilience.spi.RateLimitGate;
import com.assignr.resilience.RateLimitInfo;
import com.assignr.resilience.RetryListener;
import com.assignr.resilience.TimeSource;
import com.assignr.resilience.internal.Backoff;
import com.assignr.resilience.internal.RateLimitHeaders;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One quota's gate with its state in Redis, shared by every instance of a fleet: the algorithm of
 * core's in-process gate ({@code LocalRateLimitGate}: budget and in-flight counting, closure on a
 * 429 or at the reserve until the reset plus the margin, release places {@code k × spacing} after
 * the reopening, the cold-start cap, optional pacing), run fleet-wide by Lua scripts.
 *
 * <h2>How is it designed, and why?</h2>
 *
 * <ul>
 *   <li><b>One round trip per decision, or none.</b> An admission is one {@code EVALSHA} of {@code
 *       admit.lua}; an answer is one of {@code learn.lua}, sent without waiting for its reply (the
 *       HTTP client's thread that delivers an answer must never block on Redis). Lettuce keeps the
 *       commands of one connection in order, so an instance's answer is applied before its next
 *       admission is decided.
 *   <li><b>Held places (issue 21; Doorman's and Envoy's quota leases).</b> While the window's
 *       budget is known and far from spent, an admission may give this instance a few places more
 *       ({@code heldPlaces}: at most a quarter of what is spare, shrinking to one as {@code
 *       Remaining} falls), which it admits from without a round trip for {@code holdFor}, asking for
 *       the next places before these run out. They are in the fleet's in-flight set from the
 *       moment they are given, so the budget counts them whether used or not; at the end of the
 *       hold ({@code settle.lua}) the unused go back and those whose attempts still run count for
 *       the in-flight lease, and if the instance dies they go by themselves after twice the hold.
 *       A closure this instance hears of (its own 429, or any reply showing the
 *       gate closed) ends its places at once; a closure it has not heard of yet lets it send at most
 *       the places it holds, which is why the share shrinks as the window empties. Never while
 *       the budget is unknown (a cold start admits one by one), nor with pacing.
 *   <li><b>Redis's clock.</b> Every instant in the scripts is Redis {@code TIME}: the callers'
 *       {@code nowNanos} are used only by the local fallback. Instances with skewed clocks, or
 *       different {@code nanoTime} origins, agree because none of them supplies a time. (Only
 *       tests pass the callers' time instead: {@link RedisLink#callersTime()}.)
 *   <li><b>Events.</b> Each reply names the closure in effect by when it began, so an instance
 *       announces every closure once, whoever closed it, and the end of one it saw ended before
 *       the next ({@code onGateOpened}, then {@code onGateClosed}), as the in-process gate does.
 *   <li><b>In flight, fleet-wide.</b> Each admitted attempt is a member of a sorted set scored by
 *       the end of its lease ({@code inFlightLease}, default 30 s), so the attempts of an instance
 *       that crashed stop counting by themselves. The member travels with its attempt's {@link
 *       Permit}, so the answer removes exactly the member its admission added.
 *   <li><b>Degrading.</b> A command that fails or does not answer within the store's timeout
 *       (measured, at least 50 ms: {@link RedisLink}) switches this instance to a {@link RateLimitGate#local local gate} seeded
 *       with the last shared state (a closed quota stays closed), logs one WARN, fires {@link
 *       RetryListener#onStoreDegraded}. While degraded no call waits for Redis; a probe (100 ms after
 *       the failure, then twice as long each time up to {@code probeInterval}, default 500 ms) carries
 *       what the local gate learned back to Redis and, when it is answered, the instance is shared
 *       again ({@link
 *       RetryListener#onStoreRecovered}). Probes run on a timer and at once when Lettuce
 *       reconnects, so an idle instance rejoins too, and its {@link #state()} (and a health check
 *       reading it) tells the truth within a second of Redis's return. Degraded, an instance still
 *       learns the account's real {@code Remaining} from every answer (the server counts the whole
 *       account), but knows only its own attempts in flight and releases its own waiters after a
 *       reset; so it takes only its share of the window ({@link ShareOfLocalGate}).
 *   <li><b>No phantom places (issue 21).</b> An admission whose reply did not come in time may
 *       still have been run by Redis. The moment this instance stops waiting for it, whoever's
 *       timeout fired, it sends {@code ZREM} of the attempt's member on the same connection: Redis
 *       runs commands of one connection in order, so the removal lands after the admission, whatever
 *       became of its reply. Nothing the fleet counts in flight outlives its attempt by more than
 *       the store's timeout (plus a round trip).
 *   <li><b>Lost keys (issue 21).</b> Every admission carries what this instance knows of the
 *       window (its last reply, aged): the budget, the closure and its name. The script uses it only
 *       when the hash is gone (a flush, an eviction, a restart), and puts it back: the fleet does
 *       not start a window it knew was spent as if it were a cold start.
 * </ul>
 */
public final class RedisRateLimitGate implements RateLimitGate {
  private static final Logger LOG = LoggerFactory.getLogger(RedisRateLimitGate.class);
  private static final TimeSource REAL = TimeSource.system();
  /** Longer waits are all "too long" for every caller; keeps the numbers exact in Lua. */
  private static final long MAX_WAIT_MICROS = TimeUnit.DAYS.toMicros(10);
  /** When Redis's answer came after its own deadline (the clock estimate moved): ask again soon. */
  private static final long ASK_AGAIN_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
  /**
   * The first probe after degrading: most stalls (a GC pause, a busy host) are over by then, so a
   * momentary one costs a tenth of a second of local answers; the delay then doubles up to {@code
   * probeInterval} while Redis stays away.
   */
  private static final long FIRST_PROBE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
  /** How many orphaned members one rejoin removes at most. */
  private static final int MAX_ORPHANS_PER_REJOIN = 256;

  private final GateStore.Context context;
  private final String quotaKey;
  private final RedisLink link;
  private final String[] keys;
  private final String memberPrefix;
  private final AtomicLong sequence;
  /** Probes while degraded: FIRST_PROBE_NANOS, doubling up to probeInterval, no jitter. */
  private final Backoff probeBackoff;
  private final GatePolicy policy;
  private final double degradedShare;
  private final String sharePpmArg;
  private final long closureWithoutResetMicros;
  private final String reserveArg;
  private final long marginMicros;
  private final String marginArg;
  private final String spacingArg;
  private final String leaseArg;
  private final String coldStartArg;
  private final String pacingArg;
  /** The most places one admission may give (1: no held places). */
  private final int heldPlaces;
  /** How long this instance admits from held places (nanos on {@link #clock}). */
  private final long holdNanos;
  /** How long held places count in Redis: twice the hold, so that a settlement can still land. */
  private final String heldForArg;
  /** The places this instance holds, or null. */
  private volatile Lease lease;
  /** Whether an admission asking for held places is on its way (at most one at a time). */
  private final AtomicBoolean leasing = new AtomicBoolean();
  /**
   * How many times this instance has ended its held places for a closure (or degrading): places
   * given by an admission sent before the last of those are settled at once, not held, so a
   * closure heard while they were on their way is never spent into.
   */
  private final AtomicLong revocations = new AtomicLong();

  /** Members whose attempts ended while Redis was away: removed when this instance rejoins. */
  private final Queue<String> orphans = new ConcurrentLinkedQueue<>();
  /** The local gate while degraded; null while the shared state applies. */
  private volatile RateLimitGate fallback;
  private volatile Snapshot last;
  private final AtomicBoolean probing = new AtomicBoolean();
  /** Whether a probe is scheduled on the timer (at most one per gate). */
  private final AtomicBoolean probeScheduled = new AtomicBoolean();
  private volatile long lastProbeNanos;
  /** The wait before the next probe: short after a stall, growing to probeInterval while Redis stays away. */
  private volatile long probeDelayNanos;
  /** Probes sent in this outage, under {@link #probing} (or before the first, under this). */
  private int probes;
  /** The time the snapshot ages by: real time, or the callers' in tests (see RedisLink#callersTime). */
  private final TimeSource clock;
  private final boolean callersTime;
  /** Guards the two fields below and fires the closed/opened events in order. */
  private final Object announcements = new Object();
  /** When the last closure this instance announced began (Redis µs); MIN_VALUE: none yet. */
  private long announcedClosure = Long.MIN_VALUE;
  /** Whether that closure was announced and its end not yet. */
  private boolean closedAnnounced;
  /** The last write sent without waiting (they are applied in order: one connection). */
  private volatile CompletableFuture<?> lastWrite = CompletableFuture.completedFuture(null);
  /** The last request for held places that no caller waited for, and what became of its reply. */
  private volatile CompletableFuture<?> lastRenewal = CompletableFuture.completedFuture(null);

  /** The shared state as the last reply told it, and when (real nanos) that reply arrived. */
  private record Snapshot(long remaining, long untilResetMicros, long closedForMicros, int inFlight,
      long limit, long period, long closedAtMicros, long why, long receivedNanos, long atMicros) {}

  public RedisRateLimitGate(GateStore.Context context, RedisLink link, String keyPrefix,
      String instance, AtomicLong sequence, Duration inFlightLease, Duration probeInterval, double degradedShare,
      int heldPlaces, Duration holdFor) {
    GatePolicy policy = context.policy();
    this.context = context;
    this.quotaKey = context.quotaKey();
    this.link = link;
    String tag = keyPrefix + ":{" + quotaKey + "}";
    this.keys = new String[] {tag + ":gate", tag + ":inflight", tag + ":answers"};
    this.memberPrefix = instance + ':';
    this.sequence = sequence;
    long probeIntervalNanos = probeInterval.toNanos();
    this.probeBackoff = Backoff.ofNanos(Math.min(FIRST_PROBE_NANOS, probeIntervalNanos), probeIntervalNanos, 2, 0);
    this.policy = policy;
    this.degradedShare = degradedShare;
    this.sharePpmArg = Long.toString(policy.interactiveSharePpm());
    this.closureWithoutResetMicros = policy.closureWithoutReset().toNanos() / 1000;
    this.reserveArg = Integer.toString(policy.reserve());
    this.marginMicros = context.rateLimitMargin().toNanos() / 1000;
    this.marginArg = Long.toString(marginMicros);
    this.spacingArg = Long.toString(policy.releaseSpacing().toNanos() / 1000);
    this.leaseArg = Long.toString(inFlightLease.toNanos() / 1000);
    this.coldStartArg = Integer.toString(policy.coldStartConcurrency());
    this.pacingArg = policy.pacing() ? "1" : "0";
    this.heldPlaces = heldPlaces;
    this.holdNanos = holdFor.toNanos();
    this.heldForArg = Long.toString(2 * holdFor.toNanos() / 1000);
    this.callersTime = link.callersTime();
    this.clock = callersTime ? context.time() : REAL;
    link.onConnected(this::reconnected);
  }

  @Override
  public String quotaKey() {
    return quotaKey;
  }

  /** The Redis keys of this quota: the gate hash, the in-flight set and the answers log. */
  public List<String> keys() {
    return List.of(keys);
  }

  @Override
  public Admission tryAcquire(long nowNanos, long maxWaitNanos) {
    RateLimitGate local = fallback;
    if (local != null) return admitLocally(local, nowNanos, maxWaitNanos);
    Permit held = fromHeldPlaces();
    if (held != null) return held;
    String member = nextMember();
    int places = askFor();
    long sent = clock.nanoTime();
    long epoch = revocations.get();
    CompletableFuture<List<Object>> reply = admit(nowNanos, maxWaitNanos, member, places, false);
    List<Object> answer;
    try {
      answer = await(reply);
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      // Stop waiting for good: failing the future hands the place back (admit). If Redis's answer
      // won that race, it is the answer.
      if (reply.completeExceptionally(e) || reply.isCompletedExceptionally()) {
        return admitLocally(degrade(e), context.time().nanoTime(), maxWaitNanos);
      }
      answer = reply.join();
    }
    return admitted(answer, member, sent, epoch);
  }

  @Override
  public boolean admitsWithoutIo() {
    return false; // every admission is a round trip to Redis: the async paths must not block on it
  }

  @Override
  public CompletionStage<Admission> tryAcquireAsync(long nowNanos, long maxWaitNanos) {
    RateLimitGate local = fallback;
    if (local != null) return CompletableFuture.completedFuture(admitLocally(local, nowNanos, maxWaitNanos));
    Permit held = fromHeldPlaces();
    if (held != null) return CompletableFuture.completedFuture(held);
    String member = nextMember();
    int places = askFor();
    long sent = clock.nanoTime();
    long epoch = revocations.get();
    return admit(nowNanos, maxWaitNanos, member, places, false)
        .handle((answer, failure) -> failure == null
        ? admitted(answer, member, sent, epoch)
        : admitLocally(degrade(failure), context.time().nanoTime(), maxWaitNanos));
  }

  private String nextMember() {
    return memberPrefix + Long.toString(sequence.incrementAndGet(), 36);
  }

  /** How many places an admission asks for: held places by one admission at a time, else one. */
  private int askFor() {
    return heldPlaces > 1 && leasing.compareAndSet(false, true) ? heldPlaces : 1;
  }

  /**
   * An attempt admitted from the places this instance holds, without a round trip; null if it
   * holds none (or their hold is over: they are settled now). Asks for the next places, without
   * waiting, when few are left.
   */
  private Permit fromHeldPlaces() {
    Lease held = lease;
    if (held == null) return null;
    long now = clock.nanoTime();
    String member = held.take(now);
    if (member == null) {
      if (held.over(now)) settle(held);
      return null;
    }
    if (held.runningLow()) renew();
    return new SharedPermit(member, held);
  }

  /** Asks Redis for the next held places (no caller waits): a renewal takes nothing unless it gets several. */
  private void renew() {
    if (fallback != null || link.isClosed() || !leasing.compareAndSet(false, true)) return;
    String member = nextMember();
    long sent = clock.nanoTime();
    long epoch = revocations.get();
    CompletableFuture<List<Object>> reply;
    try {
      reply = admit(sent, 0, member, heldPlaces, true);
    } catch (RuntimeException e) {
      leasing.set(false);
      return;
    }
    lastRenewal = reply.whenComplete((answer, failure) -> {
      if (failure != null) {
        degrade(failure); // admit handed the places back
        return;
      }
      if (remember(answer) == ADMITTED && at(answer, GRANTED) > 1) {
        hold(new Lease(member, (int) at(answer, GRANTED), sent + holdNanos, false), epoch);
      }
    });
  }

  /**
   * Starts admitting from new held places; the places held before are settled (their unused go
   * back). While degraded, or when this instance ended its places for a closure after the
   * admission that gave these was sent ({@code epoch}), they go back at once.
   */
  private void hold(Lease held, long epoch) {
    leasing.set(false);
    Lease before;
    synchronized (this) {
      if (fallback != null || revocations.get() != epoch) {
        before = held;
      } else {
        before = lease;
        lease = held;
      }
    }
    if (before != null) settle(before);
    if (held == before || callersTime) return; // tests settle when they next ask (their time is not the timer's)
    CompletableFuture.delayedExecutor(holdNanos, TimeUnit.NANOSECONDS).execute(() -> settle(held));
  }

  /**
   * Ends held places: the unused go back, those whose attempts still run count for the in-flight
   * lease. Once per lease; never blocks (one script, sent without waiting).
   */
  private void settle(Lease held) {
    Lease.Ending ending = held.end();
    if (ending == null) return;
    synchronized (this) {
      if (lease == held) lease = null;
    }
    if (ending.unused().isEmpty() && ending.running().isEmpty()) return;
    if (fallback != null || link.isClosed()) {
      orphans.addAll(ending.unused()); // removed when this instance rejoins
      return;
    }
    String[] args = new String[4 + ending.unused().size() + ending.running().size()];
    args[0] = "0";
    args[1] = timeArg(clock.nanoTime());
    args[2] = leaseArg;
    args[3] = Integer.toString(ending.unused().size());
    int i = 4;
    for (String m : ending.unused()) args[i++] = m;
    for (String m : ending.running()) args[i++] = m;
    CompletableFuture<List<Object>> sent;
    try {
      sent = link.run(SETTLE, new String[] {keys[1]}, args);
    } catch (RuntimeException e) {
      sent = CompletableFuture.failedFuture(e);
    }
    lastWrite = sent.whenComplete((answer, failure) -> {
      if (failure != null) {
        orphans.addAll(ending.unused());
        degrade(failure);
      } else if (answer != null && answer.size() > 3) {
        inFlight((int) at(answer, 3));
      }
    });
  }

  /** A closure this instance heard of: the places it holds end now. */
  private void revokeHeldPlaces() {
    revocations.incrementAndGet();
    Lease held = lease;
    if (held != null) settle(held);
  }

  /**
   * Sends one admission. If it fails (the store's timeout, a lost connection), Redis may still run
   * it, or may have run it already with the reply on its way: the member is removed at once, on the
   * same connection, so the removal lands after the admission whatever happened to its reply.
   */
  private CompletableFuture<List<Object>> admit(long nowNanos, long maxWaitNanos, String member, int places,
      boolean renewal) {
    CompletableFuture<List<Object>> reply =
        link.run(ADMIT, keys, admitArgs(nowNanos, maxWaitNanos, member, places, renewal));
    reply.whenComplete((answer, failure) -> {
      if (failure != null) handBack(places > 1, Lease.members(member, places));
      else if (places > 1 && (at(answer, CODE) != ADMITTED || at(answer, GRANTED) < 2)) leasing.set(false);
    });
    return reply;
  }

  /** Waits for a reply at most the store's timeout (the link's futures fail by then anyway). */
  private List<Object> await(CompletableFuture<List<Object>> reply) throws ExecutionException, TimeoutException {
    long deadline = REAL.nanoTime() + link.timeoutNanos() + TimeUnit.MILLISECONDS.toNanos(5);
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return reply.get(Math.max(0, deadline - REAL.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
          // Bounded by the timeout: finish the bookkeeping, the caller sees the interrupt next.
          interrupted = true;
        }
      }
    } finally {
      if (interrupted) Thread.currentThread().interrupt();
    }
  }

  /**
   * An admission this instance stopped waiting for (the attempt went to the local gate): whatever
   * place Redis gave it is handed back now, not at the end of its lease. If the removal cannot be
   * sent either, the member goes with the next rejoin.
   */
  private void handBack(boolean askedForPlaces, String... members) {
    if (askedForPlaces) leasing.set(false);
    link.zrem(keys[1], members).whenComplete((removed, failure) -> {
      if (failure != null) orphans.addAll(List.of(members));
    });
  }

  private Admission admitted(List<Object> answer, String member, long sentNanos, long epoch) {
    long code = remember(answer);
    if (code == ADMITTED) {
      int granted = (int) at(answer, GRANTED);
      if (granted < 2) return new SharedPermit(member, null);
      Lease held = new Lease(member, granted, sentNanos + holdNanos, true);
      hold(held, epoch);
      return new SharedPermit(member, held);
    }
    if (code == WAIT) return Admission.waitFor(Math.max(1, at(answer, WAIT_MICROS) * 1000));
    return Admission.waitFor(ASK_AGAIN_NANOS); // EXPIRED while we still waited: the clock estimate is now fresh
  }

  private Admission admitLocally(RateLimitGate local, long nowNanos, long maxWaitNanos) {
    maybeRejoin(local);
    Admission answer = local.tryAcquire(nowNanos, maxWaitNanos);
    return answer instanceof Permit ? new LocalPermit(local, (Permit) answer) : answer;
  }

  /**
   * An attempt Redis admitted, or this instance from places it held: its member of the in-flight
   * set goes when it is answered.
   */
  private final class SharedPermit implements Permit {
    private final String member;
    /** The held places it came from, or null. */
    private final Lease held;

    SharedPermit(String member, Lease held) {
      this.member = member;
      this.held = held;
    }

    @Override
    public void onResponse(int status, RateLimitInfo info, long nowNanos) {
      if (held != null) held.finished(member);
      RateLimitGate local = fallback;
      if (local != null) {
        orphans.add(member);
        local.learn(status, info, nowNanos);
        maybeRejoin(local);
        return;
      }
      share(status, info, nowNanos, member);
    }

    @Override
    public void release() {
      if (held != null) held.finished(member);
      if (fallback != null) {
        orphans.add(member);
        return;
      }
      // Ended without an answer: the script removes it and counts it as the fleet's own (the
      // server may have counted it; counting it as the people's would shrink their share).
      share(-1, RateLimitInfo.none(), clock.nanoTime(), member);
    }
  }

  /**
   * An attempt a local gate admitted while Redis was away: answered to that gate while it is
   * still the fallback; once the instance has moved on (shared again, or a newer fallback), the
   * answer is only learned from.
   */
  private final class LocalPermit implements Permit {
    private final RateLimitGate admittedBy;
    private final Permit permit;

    LocalPermit(RateLimitGate admittedBy, Permit permit) {
      this.admittedBy = admittedBy;
      this.permit = permit;
    }

    @Override
    public void onResponse(int status, RateLimitInfo info, long nowNanos) {
      RateLimitGate local = fallback;
      if (local == null) {
        share(status, info, nowNanos, null);
        return;
      }
      if (local == admittedBy) permit.onResponse(status, info, nowNanos);
      else local.learn(status, info, nowNanos);
      maybeRejoin(local);
    }

    @Override
    public void release() {
      if (admittedBy == fallback) permit.release();
    }
  }

  @Override
  public void learn(int status, RateLimitInfo info, long nowNanos) {
    RateLimitGate local = fallback;
    if (local != null) {
      local.learn(status, info, nowNanos);
      maybeRejoin(local);
      return;
    }
    share(status, info, nowNanos, null);
  }

  /** Sends an answer to Redis without waiting; a failure degrades and teaches the local gate. */
  private void share(int status, RateLimitInfo info, long nowNanos, String token) {
    if (info.isPresent()) context.listener().onRateLimitObserved(quotaKey, info);
    // Before Redis could tell us: a 429 ends the held places at once (the reserve's closure comes
    // back in the reply, which ends them too, by the script's own reckoning of the people's use).
    if (status == 429) revokeHeldPlaces();
    lastWrite = link.run(LEARN, keys, learnArgs(status, info, token, nowNanos)).whenComplete((answer, failure) -> {
      if (failure == null) {
        remember(answer);
        return;
      }
      if (token != null) orphans.add(token);
      degrade(failure).learn(status, info, nowNanos);
    });
  }

  /**
   * Completes once every answer, release and settlement this gate has sent so far has been
   * applied in Redis (or has failed), and the last request for held places is answered, for a
   * graceful shutdown and for tests that switch instances.
   *
   * @return a future that never fails
   */
  public CompletableFuture<Void> flushed() {
    CompletableFuture<?> write = lastWrite;
    CompletableFuture<?> renewal = lastRenewal;
    // A reply may send more (a closure it shows settles the held places): flushed once nothing new was sent.
    return CompletableFuture.allOf(write, renewal).handle((ignored, failure) -> null).thenCompose(ignored ->
        write == lastWrite && renewal == lastRenewal ? CompletableFuture.completedFuture(null) : flushed());
  }

  @Override
  public GateState state() {
    RateLimitGate local = fallback;
    if (local != null) {
      GateState s = local.state();
      return new GateState(quotaKey, s.closedFor(), s.remaining(), s.untilReset(), s.limit(),
          s.periodSeconds(), s.inFlight(), GateState.Mode.DEGRADED);
    }
    return shared(last, clock.nanoTime(), GateState.Mode.SHARED);
  }

  private GateState shared(Snapshot s, long realNow, GateState.Mode mode) {
    if (s == null) return new GateState(quotaKey, Duration.ZERO, -1, null, -1, -1, 0, mode);
    long elapsedMicros = (realNow - s.receivedNanos) / 1000;
    long closedFor = Math.max(0, s.closedForMicros - elapsedMicros);
    long untilReset = s.untilResetMicros - elapsedMicros;
    // As in the scripts: a known budget holds until its reset plus the margin (the reply's time
    // to the reset is negative within the margin, so the snapshot ages exactly as the script would).
    boolean known = s.remaining >= 0 && untilReset + marginMicros > 0;
    return new GateState(quotaKey, Duration.ofNanos(closedFor * 1000), known ? s.remaining : -1,
        known ? Duration.ofNanos(Math.max(0, untilReset) * 1000) : null, s.limit, s.period, s.inFlight, mode);
  }

  /** Keeps the reply's state for {@link #state()} and the fallback's seed; fires open/closed. */
  private long remember(List<Object> answer) {
    if (answer == null || answer.size() < REPLY_LENGTH) {
      throw new IllegalStateException("unexpected reply from the gate script: " + answer);
    }
    long code = at(answer, CODE);
    if (code == EXPIRED) return code;
    long closedFor = at(answer, CLOSED_FOR_MICROS);
    long nowMicros = at(answer, NOW_MICROS);
    Snapshot before = last;
    // A reply Redis wrote before the one kept (overtaken on its way here) does not replace it.
    if (before == null || nowMicros >= before.atMicros) {
      last = new Snapshot(at(answer, REMAINING), at(answer, UNTIL_RESET_MICROS), closedFor,
          (int) at(answer, IN_FLIGHT), at(answer, LIMIT), at(answer, PERIOD), at(answer, CLOSED_AT_MICROS),
          at(answer, WHY), clock.nanoTime(), nowMicros);
    }
    announce(closedFor, at(answer, CLOSED_AT_MICROS), at(answer, NOW_MICROS), at(answer, WHY));
    if (closedFor > 0) revokeHeldPlaces();
    return code;
  }

  /**
   * Announces what a reply shows of the closures: a closure this instance has not announced yet
   * (after the end of the one before, if that ended unseen here), or the end of the one it did.
   * A closure is named by when it began, so one that began after another ended is a new one
   * though this instance saw no reply in between, and a reply Redis wrote before a closure began
   * (overtaken on its way here) cannot announce that closure's end.
   */
  private void announce(long closedForMicros, long closedAtMicros, long nowMicros, long why) {
    RetryListener listener = context.listener();
    synchronized (announcements) {
      if (closedForMicros > 0) {
        if (closedAtMicros <= announcedClosure) return;
        if (closedAnnounced) listener.onGateOpened(quotaKey);
        announcedClosure = closedAtMicros;
        closedAnnounced = true;
        listener.onGateClosed(quotaKey, Duration.ofNanos(closedForMicros * 1000), GateScripts.reason(why));
      } else if (closedAnnounced && nowMicros >= announcedClosure) {
        closedAnnounced = false;
        listener.onGateOpened(quotaKey);
      }
    }
  }

  /** The in-flight set's size, as a reply that tells nothing else said it. */
  private void inFlight(int count) {
    Snapshot s = last;
    if (s == null) return;
    last = new Snapshot(s.remaining, s.untilResetMicros, s.closedForMicros, count, s.limit, s.period,
        s.closedAtMicros, s.why, s.receivedNanos, s.atMicros);
  }

  /** Switches to the local gate, once per outage; returns the local gate in use. */
  private RateLimitGate degrade(Throwable failure) {
    Throwable cause = RedisLink.unwrap(failure);
    RateLimitGate local;
    synchronized (this) {
      local = fallback;
      if (local != null) return local;
      local = new ShareOfLocalGate(RateLimitGate.local(context, seed()), policy, degradedShare);
      lastProbeNanos = REAL.nanoTime();
      probes = 0;
      probeDelayNanos = probeBackoff.delayNanos(1, 0);
      fallback = local;
    }
    revokeHeldPlaces(); // degraded: the unused go back when this instance rejoins
    scheduleProbe(probeDelayNanos);
    if (link.isClosed()) return local; // the application is stopping: nothing to report
    LOG.warn("Redis did not answer for rate-limit quota {} ({}; the store waits {} ms at most now): this"
        + " instance now uses its own gate, seeded with the last shared state, and rejoins when Redis answers",
        quotaKey, describe(cause), link.timeoutNanos() / 1_000_000);
    context.listener().onStoreDegraded(quotaKey, cause);
    return local;
  }

  /** The last shared state, as it stands now: a closed quota stays closed in the local gate. */
  private GateState seed() {
    Snapshot s = last;
    if (s == null) return null;
    return shared(s, clock.nanoTime(), GateState.Mode.SHARED);
  }

  /**
   * While degraded: at most one probe per interval, carrying what the local gate learned (its
   * budget, reset and closure, and the members of attempts that ended meanwhile). Its answer
   * means Redis is back, and the shared state (merged: the fewer left, the longer closure) applies.
   */
  private void maybeRejoin(RateLimitGate local) {
    probe(local, false);
  }

  /**
   * Probes unless one is running, or (unless {@code force}) the last was too recent; a probe that
   * does not bring the instance back schedules the next on the timer, so that an idle instance
   * rejoins too.
   */
  private void probe(RateLimitGate local, boolean force) {
    long now = REAL.nanoTime();
    if (!force && now - lastProbeNanos < probeDelayNanos) {
      scheduleProbe(lastProbeNanos + probeDelayNanos - now);
      return;
    }
    if (!probing.compareAndSet(false, true)) return;
    lastProbeNanos = now;
    probeDelayNanos = probeBackoff.delayNanos(++probes + 1, 0);
    List<String> removed = new ArrayList<>();
    for (String m; removed.size() < MAX_ORPHANS_PER_REJOIN && (m = orphans.poll()) != null; ) removed.add(m);
    CompletableFuture<List<Object>> probe;
    try {
      probe = link.run(LEARN, keys, rejoinArgs(local.state(), removed));
    } catch (RuntimeException e) {
      probe = CompletableFuture.failedFuture(e);
    }
    probe.whenComplete((answer, failure) -> {
      try {
        if (failure == null && at(answer, CODE) != EXPIRED) {
          rejoin(local, answer);
        } else {
          orphans.addAll(removed);
        }
      } finally {
        probing.set(false);
      }
      if (fallback == local) scheduleProbe(probeDelayNanos);
    });
  }

  /** Runs a probe after {@code delayNanos} on the JDK's shared timer, unless one is scheduled. */
  private void scheduleProbe(long delayNanos) {
    if (link.isClosed() || fallback == null || !probeScheduled.compareAndSet(false, true)) return;
    CompletableFuture.delayedExecutor(Math.max(0, delayNanos), TimeUnit.NANOSECONDS).execute(() -> {
      probeScheduled.set(false);
      RateLimitGate local = fallback;
      if (local != null && !link.isClosed()) probe(local, false);
    });
  }

  /**
   * Lettuce has (re-)established the connection: a degraded gate probes at once, and from then on
   * from the first probe delay again (the outage is probably over).
   */
  private void reconnected() {
    RateLimitGate local = fallback;
    if (local == null || link.isClosed()) return;
    probes = 0;
    probeDelayNanos = probeBackoff.delayNanos(1, 0);
    CompletableFuture.runAsync(() -> probe(local, true));
  }

  private void rejoin(RateLimitGate local, List<Object> answer) {
    synchronized (this) {
      if (fallback != local) return;
      // The local gate announced its own closures and their ends: carry on from where it stands,
      // so that a shared closure it brought back (or is still in) is not announced twice.
      boolean localClosed = local.state().closed();
      synchronized (announcements) {
        closedAnnounced = localClosed;
        if (localClosed && at(answer, CLOSED_FOR_MICROS) > 0) {
          announcedClosure = Math.max(announcedClosure, at(answer, CLOSED_AT_MICROS));
        }
      }
      remember(answer);
      fallback = null;
    }
    LOG.info("Redis answers again for rate-limit quota {}: the shared gate applies again", quotaKey);
    context.listener().onStoreRecovered(quotaKey);
  }

  /** The scripts' {@code now}: Redis's own clock, or in tests the caller's time (µs). */
  private String timeArg(long nowNanos) {
    return callersTime ? Long.toString(Math.floorDiv(nowNanos, 1000)) : REDIS_TIME;
  }

  private String[] admitArgs(long nowNanos, long maxWaitNanos, String member, int places, boolean renewal) {
    long maxWait = Math.min(MAX_WAIT_MICROS, Math.max(0, maxWaitNanos / 1000));
    // What this instance knows, for the script to put back if Redis lost the hash: the last reply, aged.
    Snapshot s = last;
    long remaining = -1, untilReset = -1, closedFor = 0, closedAt = -1, why = 0, limit = -1, period = -1;
    if (s != null) {
      long elapsedMicros = (clock.nanoTime() - s.receivedNanos) / 1000;
      if (s.remaining >= 0 && s.untilResetMicros - elapsedMicros + marginMicros > 0) {
        remaining = s.remaining;
        untilReset = Math.max(0, s.untilResetMicros - elapsedMicros);
        limit = s.limit;
        period = s.period;
      }
      closedFor = Math.max(0, s.closedForMicros - elapsedMicros);
      closedAt = s.closedAtMicros;
      why = s.why;
    }
    return new String[] {"0", reserveArg, marginArg, spacingArg, leaseArg, timeArg(nowNanos), sharePpmArg,
        coldStartArg, pacingArg, Long.toString(maxWait), member, Long.toString(remaining),
        Long.toString(untilReset), Long.toString(closedFor), Long.toString(closedAt), Long.toString(why),
        Long.toString(limit), Long.toString(period), Integer.toString(places), heldForArg, renewal ? "1" : "0"};
  }

  /** Whether an answer closes the gate: a 429, or Remaining at the reserve (of the answer's window). */
  private boolean exhausted(int status, RateLimitInfo info) {
    long remaining = info.remainingOrNegative();
    Snapshot s = last;
    long limit = info.limit().isPresent() ? info.limit().getAsLong() : s == null ? -1 : s.limit;
    return status == 429 || (remaining >= 0 && remaining <= policy.reserveFor(limit));
  }

  private String[] learnArgs(int status, RateLimitInfo info, String token, long nowNanos) {
    long remaining = info.remainingOrNegative();
    long seconds = info.untilResetSeconds();
    long fallbackMicros = 0;
    if (seconds < 0 && exhausted(status, info)) {
      fallbackMicros = RateLimitHeaders.closureWithoutResetNanos(status == 429,
          info.retryAfter(context.time().clock()), closureWithoutResetMicros * 1000) / 1000;
    }
    String[] args = new String[token == null ? 15 : 16];
    args[0] = "0"; // the deadline: the link sets it when it sends
    args[1] = reserveArg;
    args[2] = marginArg;
    args[3] = spacingArg;
    args[4] = leaseArg;
    args[5] = timeArg(nowNanos);
    args[6] = sharePpmArg;
    args[7] = Integer.toString(status);
    args[8] = Long.toString(remaining);
    args[9] = Long.toString(seconds < 0 ? -1 : seconds * 1_000_000L);
    args[10] = Long.toString(fallbackMicros);
    args[11] = "-1";
    args[12] = info.isPresent() ? Long.toString(info.limit().orElse(-1)) : "-1";
    args[13] = info.isPresent() ? Long.toString(info.periodSeconds().orElse(-1)) : "-1";
    args[14] = info.isPresent() ? "1" : "0";
    if (token != null) args[15] = token;
    return args;
  }

  private String[] rejoinArgs(GateState s, List<String> removed) {
    String[] args = new String[15 + removed.size()];
    args[0] = "0"; // the deadline: the link sets it when it sends
    args[1] = reserveArg;
    args[2] = marginArg;
    args[3] = spacingArg;
    args[4] = leaseArg;
    args[5] = timeArg(clock.nanoTime());
    args[6] = sharePpmArg;
    args[7] = "0";
    boolean known = s.remaining() >= 0 && s.untilReset() != null;
    args[8] = Long.toString(known ? s.remaining() : -1);
    args[9] = Long.toString(known ? s.untilReset().toNanos() / 1000 : -1);
    args[10] = "0";
    args[11] = Long.toString(s.closedFor().toNanos() / 1000);
    args[12] = Long.toString(s.limit());
    args[13] = Long.toString(s.periodSeconds());
    args[14] = "1";
    for (int i = 0; i < removed.size(); i++) args[15 + i] = removed.get(i);
    return args;
  }

  /**
   * Places this instance holds: given by one admission, admitted from locally until {@code
   * endsNanos}, then settled once (by the timer, by the next admission that finds them over, or at
   * once by a closure or a newer lease).
   */
  static final class Lease {
    record Ending(List<String> unused, List<String> running) {}

    private final int granted;
    private final long endsNanos;
    private final ArrayDeque<String> unused = new ArrayDeque<>();
    private final Set<String> running = new HashSet<>();
    private boolean ended;

    /** The places are {@code first}, {@code first/2} ... {@code first/granted} (admit.lua names them so). */
    Lease(String first, int granted, long endsNanos, boolean firstRuns) {
      this.granted = granted;
      this.endsNanos = endsNanos;
      for (String m : members(first, granted)) unused.add(m);
      if (firstRuns) running.add(unused.poll());
    }

    static String[] members(String first, int places) {
      String[] members = new String[Math.max(1, places)];
      members[0] = first;
      for (int i = 2; i <= places; i++) members[i - 1] = first + '/' + i;
      return members;
    }

    synchronized String take(long nowNanos) {
      if (ended || nowNanos - endsNanos >= 0) return null;
      String member = unused.poll();
      if (member != null) running.add(member);
      return member;
    }

    synchronized boolean over(long nowNanos) {
      return !ended && nowNanos - endsNanos >= 0;
    }

    /** Few places left: time to ask for the next (a quarter of those given, at least one). */
    synchronized boolean runningLow() {
      return !ended && unused.size() <= Math.max(1, granted / 4);
    }

    synchronized void finished(String member) {
      running.remove(member);
    }

    /** Ends the lease; null if it had ended already. */
    synchronized Ending end() {
      if (ended) return null;
      ended = true;
      Ending ending = new Ending(List.copyOf(unused), List.copyOf(running));
      unused.clear();
      return ending;
    }
  }

  private static long at(List<Object> answer, int index) {
    Object value = answer.get(index);
    return value instanceof Long ? (Long) value : Long.parseLong(String.valueOf(value));
  }

  private static String describe(Throwable cause) {
    String message = cause.getMessage();
    return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }

  @Override
  public String toString() {
    GateState s = state();
    return "RedisRateLimitGate{" + quotaKey + ", " + s.mode() + ", remaining=" + s.remaining()
        + ", inFlight=" + s.inFlight() + (s.closed() ? ", closed" : ", open") + '}';
  }
}
