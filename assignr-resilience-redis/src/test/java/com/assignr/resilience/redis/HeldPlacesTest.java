package com.assignr.resilience.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.assignr.resilience.GatePolicy;
import com.assignr.resilience.RateLimitInfo;
import com.assignr.resilience.RetryListener;
import com.assignr.resilience.TimeSource;
import com.assignr.resilience.redis.internal.RedisRateLimitGate;
import com.assignr.resilience.spi.Admission;
import com.assignr.resilience.spi.GateStore;
import com.assignr.resilience.spi.Permit;
import com.assignr.resilience.spi.RateLimitGate;
import com.assignr.resilience.testkit.VirtualTime;
import io.lettuce.core.ScoredValue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Held places (issue 21: quota leases): an admission may give an instance a few places of the
 * budget, which it admits from without a round trip for the hold. Against a real redis-server;
 * the scripts run on the test's virtual time ({@code callersTimeForTests}), so holds end when the
 * test says, and an instance settles its places when it next asks (as it would at its timer).
 * Budgets here: limit 180, reserve 2 (no people's share), so what is spare is {@code Remaining - 2 -
 * in flight}, and one admission gives a quarter of it, at most {@code heldPlaces} (8).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HeldPlacesTest {
  static final long SECOND = TimeUnit.SECONDS.toNanos(1);
  static final long MAX_WAIT = 100 * SECOND;
  static final GatePolicy RESERVE_ONLY = RedisGateTest.RESERVE_ONLY;
  static TestRedis redis;

  final VirtualTime time = VirtualTime.manual();
  final List<RedisGateStore> stores = new ArrayList<>();
  final String quota = "held-" + System.nanoTime();

  @BeforeAll
  static void start() {
    redis = TestRedis.start();
  }

  @AfterAll
  static void stop() {
    if (redis != null) redis.close();
  }

  @AfterEach
  void closeStores() {
    stores.forEach(RedisGateStore::close);
  }

  RedisRateLimitGate instance(GatePolicy policy) {
    return instance(policy, quota);
  }

  RedisRateLimitGate instance(GatePolicy policy, String quotaKey) {
    RedisGateStore store = RedisGateStore.builder().uri(redis.uri()).connectTimeout(Duration.ofSeconds(10))
        .timeout(Duration.ofSeconds(1)).callersTimeForTests().build();
    stores.add(store);
    return (RedisRateLimitGate) store.gate(new GateStore.Context(quotaKey, policy, Duration.ofSeconds(1), time, RetryListener.NONE));
  }

  RedisRateLimitGate instance() {
    return instance(RESERVE_ONLY);
  }

  static RateLimitInfo remaining(int remaining, int secondsToReset) {
    return RedisGateTest.remaining(remaining, secondsToReset);
  }

  static void flushed(RateLimitGate... gates) throws Exception {
    for (RateLimitGate g : gates) ((RedisRateLimitGate) g).flushed().get(5, TimeUnit.SECONDS);
  }

  Permit admitted(RateLimitGate gate) throws Exception {
    Admission a = gate.tryAcquire(time.nanoTime(), MAX_WAIT);
    flushed(gate);
    return assertInstanceOf(Permit.class, a, "admitted");
  }

  long waitOf(RateLimitGate gate) throws Exception {
    Admission a = gate.tryAcquire(time.nanoTime(), MAX_WAIT);
    flushed(gate);
    return assertInstanceOf(Admission.Wait.class, a, "refused").nanos();
  }

  /** The in-flight set's members and scores (µs of the test's virtual time). */
  Map<String, Long> inFlight(RedisRateLimitGate gate) {
    return redis.admin().zrangeWithScores(gate.keys().get(1), 0, -1).stream()
        .collect(Collectors.toMap(ScoredValue::getValue, v -> (long) v.getScore()));
  }

  /** How many admission scripts Redis has run so far (every instance of this test's server). */
  static long admitScriptsRun() {
    String stats = redis.admin().info("commandstats");
    return stats.lines().filter(l -> l.startsWith("cmdstat_evalsha:") || l.startsWith("cmdstat_eval:"))
        .mapToLong(l -> Long.parseLong(l.replaceAll("^[^:]*:calls=(\\d+),.*", "$1"))).sum();
  }

  long nowMicros() {
    return time.nanoTime() / 1000;
  }

  @Test
  void oneAdmissionGivesAShareOfWhatIsSpare_andTheNextAreAdmittedWithoutARoundTrip() throws Exception {
    RedisRateLimitGate a = instance();
    a.learn(200, remaining(100, 40), time.nanoTime());
    flushed(a);
    long before = admitScriptsRun();
    admitted(a); // 100 left - 2 reserve: a quarter of 98 is more than 8, so 8 places, this attempt's one of them
    assertEquals(8, a.state().inFlight(), "the fleet counts all eight from the moment they are given");
    assertEquals(8, inFlight(a).size());
    for (int i = 0; i < 4; i++) admitted(a);
    assertEquals(1, admitScriptsRun() - before, "five admissions, one round trip");
    assertEquals(8, inFlight(a).size(), "the local ones took places already counted");
  }

  @Test
  void whenFewPlacesAreLeftTheNextAreAskedForBeforeTheyRunOut() throws Exception {
    RedisRateLimitGate a = instance();
    a.learn(200, remaining(100, 40), time.nanoTime());
    flushed(a);
    for (int i = 0; i < 6; i++) admitted(a); // 2 of 8 left: a quarter, time to ask again
    Map<String, Long> held = inFlight(a);
    assertEquals(8 + 8 - 2, held.size(), "the next eight came; the two left of the first went back");
    long before = admitScriptsRun();
    for (int i = 0; i < 5; i++) admitted(a);
    assertEquals(0, admitScriptsRun() - before, "the next five admissions ran no script: the renewal had come");
  }

  @Test
  void heldPlacesSpendNoMoreThanTheWindowHas_acrossTheFleet() throws Exception {
    List<RedisRateLimitGate> fleet = List.of(instance(), instance(), instance());
    fleet.get(0).learn(200, remaining(30, 40), time.nanoTime());
    flushed(fleet.get(0));
    int admitted = 0;
    for (boolean any = true; any; ) {
      any = false;
      for (RedisRateLimitGate g : fleet) {
        Admission answer = g.tryAcquire(time.nanoTime(), MAX_WAIT);
        flushed(g);
        if (answer instanceof Permit) {
          admitted++;
          any = true;
        }
      }
      assertTrue(admitted <= 28, "admitted " + admitted + " of 30 - 2 reserve");
    }
    assertEquals(28, admitted, "every spare place was spent, none twice, none lost to a lease");
    assertEquals(28, inFlight(fleet.get(0)).size());
  }

  @Test
  void aClosureEndsThePlacesOfEveryInstanceThatHearsOfIt() throws Exception {
    RedisRateLimitGate a = instance();
    RedisRateLimitGate b = instance();
    a.learn(200, remaining(100, 40), time.nanoTime());
    flushed(a);
    Permit first = admitted(a); // a holds 8 (1 running)
    Permit mine = admitted(b); // b holds 8 of what is spare after a's (1 running)
    Permit mineToo = admitted(b); // from b's places
    assertEquals(16, inFlight(a).size());

    first.onResponse(429, remaining(0, 10), time.nanoTime());
    flushed(a);
    assertEquals(8, inFlight(a).size(), "a's seven unused went back at once (and its answered one); b's eight stay");
    assertTrue(waitOf(a) >= 10 * SECOND, "a waits for the reset");

    // b has not heard yet (the trade of held places): its next answer tells it.
    mine.onResponse(200, remaining(60, 10), time.nanoTime());
    flushed(b);
    assertEquals(1, inFlight(a).size(), "b's six unused went back with its answer; one attempt runs");
    assertTrue(waitOf(b) >= 10 * SECOND, "b waits too");
    mineToo.release();
    flushed(b);
    assertEquals(0, inFlight(a).size());
  }

  @Test
  void atTheEndOfTheHoldUnusedPlacesGoBack_andRunningAttemptsCountForTheInFlightLease() throws Exception {
    RedisRateLimitGate a = instance();
    a.learn(200, remaining(100, 40), time.nanoTime());
    flushed(a);
    admitted(a);
    String running = inFlight(a).keySet().stream().filter(m -> !m.contains("/")).findFirst().orElseThrow();
    assertEquals(nowMicros() + 2_000_000, inFlight(a).get(running), "held places count for twice the hold");

    time.advance(Duration.ofSeconds(1)); // the hold (1 s) is over
    admitted(a); // settles the old places, then a round trip for new ones
    Map<String, Long> held = inFlight(a);
    assertEquals(nowMicros() + 30_000_000, held.get(running), "the attempt still running counts for its lease");
    assertEquals(1 + 8, held.size(), "the seven unused went back; eight new places");
  }

  @Test
  void thePlacesOfAnInstanceThatDiedStopCountingAfterTwiceTheHold() throws Exception {
    RedisRateLimitGate died = instance();
    RedisRateLimitGate survivor = instance();
    died.learn(200, remaining(40, 40), time.nanoTime());
    flushed(died);
    admitted(died); // floor(38 / 4) = 9, so 8 places, then the instance is gone
    assertEquals(8, inFlight(died).size());
    time.advance(Duration.ofMillis(2001));
    admitted(survivor);
    assertEquals(8, inFlight(survivor).size(), "the survivor's eight only: a quarter of all 38 again");
  }

  @Test
  void noHeldPlacesWhileTheBudgetIsUnknown_nearlySpent_orPaced() throws Exception {
    RedisRateLimitGate cold = instance();
    admitted(cold);
    assertEquals(1, inFlight(cold).size(), "a cold start admits one by one");

    RedisRateLimitGate low = instance();
    low.learn(200, remaining(11, 40), time.nanoTime()); // 11 - 2 reserve - cold's 1 = 8 places: a quarter is 2
    flushed(low);
    admitted(low);
    assertEquals(1 + 2, inFlight(low).size());
    admitted(low);
    admitted(low); // 11 - 2 - 3 = 6 spare now: a quarter is one place
    assertEquals(1 + 2 + 1, inFlight(low).size());

    // A quota of its own, where a quarter of what is spare (98) would be 8 places unpaced.
    RedisRateLimitGate paced = instance(RESERVE_ONLY.toBuilder().pacing(true).build(), quota + ":paced");
    paced.learn(200, remaining(100, 40), time.nanoTime());
    flushed(paced);
    admitted(paced);
    assertEquals(1, inFlight(paced).size(), "paced: each admission has its own instant");
  }

  @Test
  void heldPlacesEndWithTheHoldOnTheStoresTimer_evenOnAnIdleInstance() throws Exception {
    // Redis's clock and the store's timer here (the only real-time test of this class): a 200 ms hold.
    RedisGateStore store = RedisGateStore.builder().uri(redis.uri()).connectTimeout(Duration.ofSeconds(10))
        .timeout(Duration.ofSeconds(1)).holdFor(Duration.ofMillis(200)).build();
    stores.add(store);
    RedisRateLimitGate a = (RedisRateLimitGate) store.gate(new GateStore.Context(quota, RESERVE_ONLY,
        Duration.ofSeconds(1), TimeSource.system(), RetryListener.NONE));
    a.learn(200, remaining(100, 40), System.nanoTime());
    flushed(a);
    try (TestRedis.KeyWatch watch = redis.watchKey(a.keys().get(1))) {
      Admission first = a.tryAcquire(System.nanoTime(), MAX_WAIT);
      assertInstanceOf(Permit.class, first);
      assertEquals(8, a.state().inFlight(), "eight places given (the reply's count, whatever time it is now)");
      assertTrue(watch.await(() -> inFlight(a).size() == 1, Duration.ofSeconds(10)),
          "the seven unused went back after the hold, no call needed; left: " + inFlight(a));
      ((Permit) first).release();
      assertTrue(watch.await(() -> inFlight(a).isEmpty(), Duration.ofSeconds(10)));
    }
  }
}
