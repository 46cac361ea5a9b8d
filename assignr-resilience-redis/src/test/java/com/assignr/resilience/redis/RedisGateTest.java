package com.assignr.resilience.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.assignr.resilience.GatePolicy;
import com.assignr.resilience.GateState;
import com.assignr.resilience.spi.GateStore;
import com.assignr.resilience.spi.RateLimitGate;
import com.assignr.resilience.testkit.GateDriver;
import com.assignr.resilience.RateLimitInfo;
import com.assignr.resilience.RetryListener;
import com.assignr.resilience.TimeSource;
import com.assignr.resilience.redis.internal.RedisRateLimitGate;
import com.assignr.resilience.testkit.VirtualTime;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.ZAddArgs;
import io.lettuce.core.cluster.SlotHash;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;

/**
 * What only the shared gate has: several stores on one real Redis stand in for several JVMs, each
 * with its own connection and its own gate of the same quota, and they share one budget, one
 * closure, one release order, one cold-start cap; its keys, TTLs and clock. The gate's rules for
 * one gate are the testkit's gate contract ({@link RedisGateContractTest}). Tests of the fleet's
 * rules run on one virtual time that every instance passes to the scripts ({@link
 * RedisGateStore.Builder#callersTimeForTests()}), so their waits are exact; those about Redis's
 * own clock (skew, lease scores, TTLs) run on {@code TIME}. The stores wait up to 1 s for Redis
 * here (RedisFaultTest covers the 50 ms default), on machines shared by several builds.
 */
@Timeout(30)
class RedisGateTest {
  static final long MS = 1_000_000L;
  static final long SECOND = 1_000 * MS;
  static final long MAX_WAIT = 65 * SECOND;
  /**
   * Redis's {@code TIME} is whole µs of the wall clock, ours {@code nanoTime}: a span between two of
   * Redis's readings can exceed the same span measured here by that rounding (1 µs) and by any rate
   * difference of the two clocks. A lower bound of the form "what Redis saw minus what passed here"
   * allows 1 ms for both: far less than a place (20 ms) or any closure that is wrong.
   */
  static final long ROUNDING = MS;

  /**
   * The defaults without the people's share: these tests pin what the instances share (budgets of
   * a few requests, with limit 180 in the headers); the share itself is the gate contract's.
   */
  static final GatePolicy RESERVE_ONLY = GatePolicy.defaults().toBuilder().interactiveShare(0).build();

  static TestRedis redis;
  final List<RedisGateStore> stores = new ArrayList<>();
  final VirtualTime time = VirtualTime.manual();
  String quota;

  @BeforeAll
  static void startRedis() {
    redis = TestRedis.start();
  }

  @AfterAll
  static void stopRedis() {
    redis.close();
  }

  @org.junit.jupiter.api.BeforeEach
  void name(TestInfo test) {
    quota = "assignr:" + test.getTestMethod().orElseThrow().getName();
  }

  @AfterEach
  void closeStores() {
    stores.forEach(RedisGateStore::close);
  }

  /**
   * One more instance of the fleet: a store of its own (its own connection) and its gate; one
   * decision per admission (held places off: {@link HeldPlacesTest} covers them), so that the
   * in-flight counts here are the attempts'.
   */
  GateDriver instance(GatePolicy policy, TimeSource time) {
    return instance(policy, time, RedisGateStore.builder().uri(redis.uri()).connectTimeout(Duration.ofSeconds(10))
        .timeout(Duration.ofSeconds(1)).heldPlaces(1));
  }

  GateDriver instance(GatePolicy policy, TimeSource time, RedisGateStore.Builder builder) {
    RedisGateStore store = builder.build();
    stores.add(store);
    return GateDriver.of(store.gate(new GateStore.Context(quota, policy, Duration.ofSeconds(1), time, RetryListener.NONE)));
  }

  GateDriver instance() {
    return instance(RESERVE_ONLY, TimeSource.system());
  }

  /** One more instance whose scripts run on the test's virtual time, not Redis's. */
  GateDriver onVirtualTime(GatePolicy policy, Duration margin, RetryListener listener) {
    RedisGateStore store = RedisGateStore.builder().uri(redis.uri()).connectTimeout(Duration.ofSeconds(10))
        .timeout(Duration.ofSeconds(1)).heldPlaces(1).callersTimeForTests().build();
    stores.add(store);
    return GateDriver.of(store.gate(new GateStore.Context(quota, policy, margin, time, listener)));
  }

  GateDriver onVirtualTime() {
    return onVirtualTime(RESERVE_ONLY, Duration.ofSeconds(1), RetryListener.NONE);
  }

  static RateLimitInfo headers(String... namesAndValues) {
    Map<String, String> values = new HashMap<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      values.put(namesAndValues[i].toLowerCase(Locale.ROOT), namesAndValues[i + 1]);
    }
    return RateLimitInfo.from(name -> values.get(name.toLowerCase(Locale.ROOT)));
  }

  static RateLimitInfo remaining(int remaining, int secondsToReset) {
    return headers("X-Ratelimit-Limit", "180", "X-Ratelimit-Period", "60",
        "X-Ratelimit-Remaining", Integer.toString(remaining),
        "X-Ratelimit-Reset-Seconds-Remaining", Integer.toString(secondsToReset));
  }

  static long now() {
    return TimeSource.system().nanoTime();
  }

  /** Asks each gate {@code times} times in turn; counts the admissions. */
  static int admissions(List<GateDriver> gates, int times) {
    int admitted = 0;
    for (int i = 0; i < times; i++) {
      for (GateDriver gate : gates) {
        if (gate.tryAcquire(now(), MAX_WAIT) == 0) admitted++;
      }
    }
    return admitted;
  }

  @Test
  void theBudgetIsSpentOnceAcrossInstances_notOncePerInstance() {
    List<GateDriver> fleet = List.of(instance(), instance(), instance());
    fleet.get(0).learn(200, remaining(10, 30), now());

    // Remaining 10, reserve 2: eight attempts may be in flight for the whole fleet.
    assertEquals(8, admissions(fleet, 4));
    assertEquals(8, fleet.get(2).state().inFlight());
    assertEquals(GateState.Mode.SHARED, fleet.get(2).state().mode());

    // The same instances with in-process gates: each believes the eight are its own.
    GateStore.Context context = new GateStore.Context(quota, RESERVE_ONLY, Duration.ofSeconds(1),
        TimeSource.system(), RetryListener.NONE);
    List<GateDriver> locals = List.of(GateDriver.of(RateLimitGate.local(context)),
        GateDriver.of(RateLimitGate.local(context)), GateDriver.of(RateLimitGate.local(context)));
    locals.forEach(g -> g.learn(200, remaining(10, 30), now()));
    assertEquals(24, admissions(locals, 10));
  }

  @Test
  void a429OnOneInstanceClosesTheGateOfEvery_andReleasePlacesAreHandedOutFleetWide() throws Exception {
    GateDriver a = onVirtualTime();
    GateDriver b = onVirtualTime();
    GateDriver c = onVirtualTime();
    a.learn(429, remaining(0, 2), time.nanoTime());
    applied(a);

    // Closed until the reset (2 s) + the 1 s margin; then one place every 20 ms across the
    // instances, in the order they asked: b, c, a. (Per JVM, each would get place 1.)
    assertEquals(3020 * MS, b.tryAcquire(time.nanoTime(), MAX_WAIT));
    assertEquals(3040 * MS, c.tryAcquire(time.nanoTime(), MAX_WAIT));
    assertEquals(3060 * MS, a.tryAcquire(time.nanoTime(), MAX_WAIT));
    assertEquals(Duration.ofSeconds(3), b.state().closedFor());
    time.advance(Duration.ofMillis(3020));
    assertEquals(0, b.tryAcquire(time.nanoTime(), MAX_WAIT), "place 1 is let in at the reopening");
  }

  /**
   * {@code gate}, asked at {@code asked}, was told to wait for the closure plus place {@code place}
   * × 20 ms, and the gate hash now hands out the next place. The state, read a moment after the
   * reply, shows that closure shrunk by the time since the reply arrived: no more than has passed
   * since {@code asked}, measured here.
   */
  static void assertPlace(int place, GateDriver gate, long asked, long wait) {
    long beyondClosure = wait - gate.state().closedFor().toNanos();
    long read = now();
    assertBetween(place * 20 * MS, place * 20 * MS + (read - asked), beyondClosure);
    assertEquals(Integer.toString(place + 1), tickets(gate), "the next place");
  }

  /**
   * {@code gate} sees the quota closed for {@code closure} from an instant after {@code since}, as
   * Redis measured it: at most {@code closure}, less no more than has passed here since then.
   */
  static void assertClosedFor(long closure, long since, GateDriver gate) {
    long closedFor = gate.state().closedFor().toNanos();
    assertBetween(closure - (now() - since) - ROUNDING, closure, closedFor);
  }

  /** The next release place the gate hash of {@code gate}'s quota hands out (its {@code tickets}). */
  static String tickets(GateDriver gate) {
    return redis.admin().hget(((RedisRateLimitGate) gate.gate()).keys().get(0), "tickets");
  }

  @Test
  void theColdStartCapHoldsForTheWholeFleetUntilTheFirstAnswer() throws Exception {
    GatePolicy policy = RESERVE_ONLY.toBuilder().coldStartConcurrency(4).build();
    List<GateDriver> fleet = List.of(instance(policy, TimeSource.system()),
        instance(policy, TimeSource.system()), instance(policy, TimeSource.system()));
    assertEquals(4, admissions(fleet, 3)); // nine asked, four sent, nothing known yet

    fleet.get(0).onResponse(200, remaining(150, 30), now()); // the first answer teaches the budget
    applied(fleet.get(0));
    assertEquals(6, admissions(fleet, 2));
    assertEquals(9, fleet.get(2).state().inFlight());
  }

  @Test
  void pacingSpreadsAdmissionsAcrossInstances() throws Exception {
    GatePolicy paced = RESERVE_ONLY.toBuilder().pacing(true).build();
    GateDriver a = onVirtualTime(paced, Duration.ofSeconds(1), RetryListener.NONE);
    GateDriver b = onVirtualTime(paced, Duration.ofSeconds(1), RetryListener.NONE);
    a.learn(200, remaining(12, 10), time.nanoTime());
    applied(a);
    assertEquals(0, a.tryAcquire(time.nanoTime(), MAX_WAIT));
    // 10 s / (12 - 2 reserve - 1 in flight + 1) = 1 s until the next admission, whoever asks.
    assertEquals(SECOND, b.tryAcquire(time.nanoTime(), MAX_WAIT));
    time.advance(Duration.ofSeconds(1));
    assertEquals(0, b.tryAcquire(time.nanoTime(), MAX_WAIT));
  }

  @Test
  void instancesWithSkewedClocksAgree() throws Exception {
    GateDriver ahead = instance(RESERVE_ONLY, new SkewedTime(Duration.ofHours(1), 7 * 3600 * SECOND));
    GateDriver behind = instance(RESERVE_ONLY, new SkewedTime(Duration.ofHours(-1), -5 * SECOND));
    GateDriver right = instance();
    long learned = now();
    ahead.learn(429, remaining(0, 5), 7 * 3600 * SECOND + now());
    applied(ahead);

    // All measure the same closure (6 s on Redis's clock) and take consecutive places.
    long asked = now();
    long wb = behind.tryAcquire(now() - 5 * SECOND, MAX_WAIT);
    assertClosedFor(6 * SECOND, learned, behind);
    assertPlace(1, behind, asked, wb);
    asked = now();
    long wr = right.tryAcquire(now(), MAX_WAIT);
    assertClosedFor(6 * SECOND, learned, right);
    assertPlace(2, right, asked, wr);
    asked = now();
    long wa = ahead.tryAcquire(now() + 7 * 3600 * SECOND, MAX_WAIT);
    assertClosedFor(6 * SECOND, learned, ahead);
    assertPlace(3, ahead, asked, wa);
  }

  @Test
  void everyKeySharesOneClusterSlot_andEveryKeyHasATtl() throws Exception {
    GateDriver a = instance();
    List<String> keys = ((RedisRateLimitGate) a.gate()).keys();
    assertEquals(List.of("assignr-resilience:{" + quota + "}:gate", "assignr-resilience:{" + quota + "}:inflight",
        "assignr-resilience:{" + quota + "}:answers"), keys);
    assertEquals(SlotHash.getSlot(keys.get(0)), SlotHash.getSlot(keys.get(1)));
    assertEquals(SlotHash.getSlot(keys.get(0)), SlotHash.getSlot(keys.get(2)));

    a.learn(200, remaining(100, 40), now());
    applied(a);
    assertEquals(0, a.tryAcquire(now(), MAX_WAIT));
    // The hash and the answers log outlive the reset (40 s) by one lease (30 s); the in-flight set
    // lives one lease.
    assertBetween(69_000, 70_000, redis.admin().pttl(keys.get(0)));
    assertBetween(69_000, 70_000, redis.admin().pttl(keys.get(2)));
    assertBetween(29_000, 30_000, redis.admin().pttl(keys.get(1)));
    assertEquals(1, redis.admin().zcard(keys.get(1)));
    assertEquals(1, redis.admin().zcard(keys.get(2)), "one second of answers logged");
  }

  @Test
  void theKeysOfAFleetThatStoppedExpire_andSoDoTheAttemptsOfACrashedInstance() throws Exception {
    // Leases of 1 s. An attempt's lease ends at its score in the in-flight set (Redis µs): the test
    // checks those scores, then moves them (ZADD XX) instead of waiting for the clock, and keeps the
    // set alive meanwhile (PEXPIRE; each admission sets its TTL back to one lease). The only timing
    // left: each PEXPIRE follows the admission before it within a lease, as every reply here must
    // come within the stores' timeout (1 s). Only the keys' final expiry is awaited in real time.
    long lease = SECOND;
    RedisGateStore.Builder shortLease = RedisGateStore.builder().uri(redis.uri()).connectTimeout(Duration.ofSeconds(10))
        .timeout(Duration.ofSeconds(1)).inFlightLease(Duration.ofNanos(lease)).heldPlaces(1);
    GateDriver crashed = instance(RESERVE_ONLY, TimeSource.system(), shortLease);
    GateDriver survivor = instance(RESERVE_ONLY, TimeSource.system(), shortLease);
    List<String> keys = ((RedisRateLimitGate) crashed.gate()).keys();
    String inFlight = keys.get(1);
    long before = redisNanos();
    assertEquals(3, admissions(List.of(crashed), 3)); // ...and the instance dies, three in flight
    assertTrue(redis.admin().pexpire(inFlight, 60_000), "the in-flight set is there");
    long after = redisNanos();
    List<ScoredValue<String>> leases = redis.admin().zrangeWithScores(inFlight, 0, -1);
    assertEquals(3, leases.size());
    for (ScoredValue<String> l : leases) {
      assertBetween(before + lease, after + lease, (long) l.getScore() * 1000); // a lease from its admission
    }

    // Their leases still run (for a minute now): they count for the survivor.
    moveLeases(inFlight, leases, redisNanos() + 60 * SECOND);
    assertEquals(0, survivor.tryAcquire(now(), MAX_WAIT));
    assertTrue(redis.admin().pexpire(inFlight, 60_000), "the in-flight set is there");
    assertEquals(4, survivor.state().inFlight());
    survivor.release(); // the survivor's attempt ends
    applied(survivor);

    // Their leases have ended (a ms ago): the next admission no longer counts them.
    moveLeases(inFlight, leases, redisNanos() - MS);
    assertEquals(3, redis.admin().zcard(inFlight));
    assertEquals(0, survivor.tryAcquire(now(), MAX_WAIT));
    assertEquals(1, survivor.state().inFlight(), "the crashed instance's three leases ended");

    // The fleet stops: each key lives at most one more lease (-2: gone already), then expires.
    for (String key : keys) {
      long ttl = redis.admin().pttl(key);
      assertTrue(ttl == -2 || (ttl > 0 && ttl <= lease / MS), key + " has a TTL of " + ttl + " ms");
    }
    try (TestRedis.ExpiryWatch watch = redis.watchExpiries()) {
      assertTrue(watch.awaitGone(Duration.ofSeconds(10), keys.get(0), keys.get(1), keys.get(2)), "every key expires");
    }
  }

  /** Redis's clock ({@code TIME}), in nanoseconds. */
  static long redisNanos() {
    List<String> time = redis.admin().time();
    return Long.parseLong(time.get(0)) * SECOND + Long.parseLong(time.get(1)) * 1000;
  }

  /** Sets when the leases of these members of the in-flight set end (each must still be a member). */
  static void moveLeases(String inFlight, List<ScoredValue<String>> leases, long endNanos) {
    for (ScoredValue<String> l : leases) {
      assertEquals(1, redis.admin().zadd(inFlight, ZAddArgs.Builder.xx().ch(), endNanos / 1000, l.getValue()),
          "moved the lease of " + l.getValue());
    }
  }

  /** The gate events one instance hears. */
  static final class Heard implements RetryListener {
    final List<String> events = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Override public void onGateClosed(String key, Duration closedFor, String reason) {
      events.add("closed " + closedFor.toMillis() + " ms: " + reason);
    }

    @Override public void onGateOpened(String key) {
      events.add("opened");
    }
  }

  /**
   * Each instance announces every closure of the quota once, whoever closed it, and its end. The
   * second closure here begins after the first ended unseen by both: the closing instance's reply
   * said so (the scripts' closedNow, never read), the other's showed "closed" again and it took
   * it for the same closure, so neither announced it.
   */
  @Test
  void everyInstanceHearsEachClosureOnce_andItsEnd_whoeverClosedIt() throws Exception {
    Heard closer = new Heard();
    Heard other = new Heard();
    GateDriver a = onVirtualTime(RESERVE_ONLY, Duration.ofSeconds(1), closer);
    // No margin of its own: the closure is the one a closed, with a's margin (1 s).
    GateDriver b = onVirtualTime(RESERVE_ONLY, Duration.ZERO, other);
    a.learn(429, remaining(0, 10), time.nanoTime());
    applied(a);
    assertEquals(11_020 * MS, b.tryAcquire(time.nanoTime(), MAX_WAIT));
    assertEquals(List.of("closed 11000 ms: 429 Too Many Requests"), closer.events);
    assertEquals(List.of("closed 11000 ms: 429 Too Many Requests"), other.events);

    time.advance(Duration.ofSeconds(12)); // the closure ends; nobody asks
    a.learn(429, remaining(0, 10), time.nanoTime());
    applied(a);
    assertEquals(11_020 * MS, b.tryAcquire(time.nanoTime(), MAX_WAIT), "a new closure: place 1");
    assertEquals(List.of("closed 11000 ms: 429 Too Many Requests", "opened", "closed 11000 ms: 429 Too Many Requests"),
        closer.events);
    assertEquals(closer.events, other.events);

    time.advance(Duration.ofMillis(11_020));
    assertEquals(0, b.tryAcquire(time.nanoTime(), MAX_WAIT), "place 1 is let in at the reopening");
    assertEquals(List.of("closed 11000 ms: 429 Too Many Requests", "opened", "closed 11000 ms: 429 Too Many Requests",
        "opened"), other.events, "each closure and each end, once");
  }

  @Test
  void aConnectionOfTheUsersOwnWorksToo_andStaysOpen() throws Exception {
    io.lettuce.core.RedisClient client = io.lettuce.core.RedisClient.create(redis.uri());
    try (io.lettuce.core.api.StatefulRedisConnection<String, String> mine = client.connect()) {
      GateDriver a = instance(RESERVE_ONLY, TimeSource.system(),
          RedisGateStore.builder().connection(mine).timeout(Duration.ofSeconds(1))); // as every store here
      GateDriver b = instance();
      a.learn(200, remaining(4, 30), now());
      applied(a);
      assertEquals(2, admissions(List.of(a, b), 2));
      stores.forEach(RedisGateStore::close);
      stores.clear();
      assertEquals("PONG", mine.sync().ping());
    } finally {
      client.shutdown();
    }
  }

  @Test
  void buildNamesEveryBadSetting() {
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> RedisGateStore.builder().timeout(Duration.ZERO).keyPrefix("a{b}").inFlightLease(Duration.ofMillis(1)).build());
    assertEquals("Invalid RedisGateStore: uri/connection exactly one must be given but was neither;"
        + " timeout must be between PT0.001S and PT10S but was PT0S;"
        + " keyPrefix must be non-blank and contain no braces but was a{b};"
        + " inFlightLease must be between PT0.1S and PT1H but was PT0.001S", e.getMessage());
  }

  @Test
  void buildNamesBadHeldPlaces_andAHoldLongerThanHalfTheInFlightLease() {
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> RedisGateStore.builder().uri(redis.uri()).heldPlaces(0).holdFor(Duration.ofSeconds(20)).build());
    assertEquals("Invalid RedisGateStore: heldPlaces must be between 1 and 64 but was 0;"
        + " holdFor must be at most half the in-flight lease (PT30S) but was PT20S", e.getMessage());
    e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> RedisGateStore.builder().uri(redis.uri()).heldPlaces(65).holdFor(Duration.ofMillis(1)).build());
    assertEquals("Invalid RedisGateStore: heldPlaces must be between 1 and 64 but was 65;"
        + " holdFor must be between PT0.01S and PT1M but was PT0.001S", e.getMessage());
    // Unset, the hold is 1 s, or half a shorter in-flight lease.
    RedisGateStore.Builder shortLease = RedisGateStore.builder().uri(redis.uri()).connectTimeout(Duration.ofSeconds(10))
        .inFlightLease(Duration.ofMillis(600));
    try (RedisGateStore store = shortLease.build()) {
      assertEquals(Duration.ofMillis(300), store.holdFor());
      assertEquals(8, store.heldPlaces());
    }
  }

  /** Waits until the answers {@code gate} sent without waiting have been applied. */
  static GateDriver applied(GateDriver gate) throws Exception {
    ((RedisRateLimitGate) gate.gate()).flushed().get(5, TimeUnit.SECONDS);
    return gate;
  }

  static void assertBetween(long low, long high, long actual) {
    assertTrue(actual >= low && actual <= high,
        "expected " + low + " .. " + high + " but was " + actual + " (" + TimeUnit.NANOSECONDS.toMillis(actual) + " ms)");
  }
}
