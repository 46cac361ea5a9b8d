package com.assignr.resilience;

import com.assignr.resilience.testkit.GateDriver;

import com.assignr.resilience.spi.Admission;
import com.assignr.resilience.spi.Permit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.assignr.resilience.testkit.VirtualTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RateLimitGateTest {
  private static final long SECOND = 1_000_000_000L;
  private static final long MILLI = 1_000_000L;

  private final VirtualTime time = VirtualTime.manual();
  private final List<String> events = new ArrayList<>();
  private final RetryListener recorder = new RetryListener() {
    @Override public synchronized void onGateClosed(String key, Duration closedFor, String reason) {
      events.add("closed " + closedFor.toMillis() + "ms: " + reason);
    }
    @Override public synchronized void onGateOpened(String key) {
      events.add("opened at " + time.elapsed().toMillis() + "ms");
    }
  };

  private GateDriver gate(AssignrResilience.Builder builder) {
    return GateDriver.of(builder.timeSource(time).listener(recorder).build().gateFor(RequestInfo.of("GET", java.net.URI.create("https://api.assignr.com/"), true), "Bearer secret-token"));
  }

  private GateDriver gate() {
    return gate(AssignrResilience.builder());
  }

  private static RateLimitInfo headers(int remaining, int secondsToReset) {
    return RateLimitInfo.from(Headers.of("X-Ratelimit-Remaining", String.valueOf(remaining),
        "X-Ratelimit-Reset-Seconds-Remaining", String.valueOf(secondsToReset),
        "X-Ratelimit-Limit", "180", "X-Ratelimit-Period", "60"));
  }

  @Test
  void afterOne429EveryCallerWaitsForTheResetAndTheyAreReleasedSpreadOut() {
    GateDriver gate = gate();
    assertEquals(0, gate.tryAcquire(time.nanoTime(), Long.MAX_VALUE));
    gate.onResponse(429, headers(0, 10), time.nanoTime());

    long[] waits = new long[8];
    for (int caller = 0; caller < 8; caller++) waits[caller] = gate.tryAcquire(time.nanoTime(), Long.MAX_VALUE);

    for (int caller = 0; caller < 8; caller++) {
      // reset (10 s) + margin (1 s) + the caller's release slot, 20 ms apart
      assertEquals(11 * SECOND + (caller + 1) * 20 * MILLI, waits[caller], "caller " + caller);
    }
    assertEquals(List.of("closed 11000ms: 429 Too Many Requests"), events);

    time.advance(Duration.ofMillis(11_020));
    assertEquals(0, gate.tryAcquire(time.nanoTime(), Long.MAX_VALUE), "the first slot is admitted once the reset has passed");
    assertEquals(List.of("closed 11000ms: 429 Too Many Requests", "opened at 11020ms"), events);
  }

  @Test
  void closesProactivelyWhenRemainingReachesTheReserveWithoutA429() {
    GateDriver gate = gate();
    assertEquals(0, gate.tryAcquire(time.nanoTime(), Long.MAX_VALUE));
    gate.onResponse(200, headers(2, 30), time.nanoTime());
    assertTrue(gate.state().closed());
    assertEquals(31 * SECOND + 20 * MILLI, gate.tryAcquire(time.nanoTime(), Long.MAX_VALUE));
    assertEquals(List.of("closed 31000ms: remaining reached the reserve of 2"), events);
  }

  @Test
  void attemptsInFlightAreCountedSoConcurrentCallersDoNotOvershoot() {
    GateDriver gate = gate();
    assertEquals(0, gate.tryAcquire(time.nanoTime(), Long.MAX_VALUE));
    gate.onResponse(200, headers(10, 30), time.nanoTime());
    // 10 left, 2 kept in reserve: eight may be in flight before any of them is answered.
    for (int i = 0; i < 8; i++) assertEquals(0, gate.tryAcquire(time.nanoTime(), Long.MAX_VALUE), "attempt " + i);
    assertEquals(8, gate.state().inFlight());
    long wait = gate.tryAcquire(time.nanoTime(), Long.MAX_VALUE);
    assertTrue(wait > 0 && wait <= 50 * MILLI, "the ninth waits for answers, briefly: " + wait);
    gate.onResponse(200, headers(9, 30), time.nanoTime());
    assertEquals(7, gate.state().inFlight());
    assertTrue(gate.tryAcquire(time.nanoTime(), Long.MAX_VALUE) > 0, "9 left, 7 in flight, 2 reserved: still full");
  }

  @Test
  void aStaleOutOfOrderAnswerDoesNotRaiseTheBudgetButANewWindowDoes() {
    GateDriver gate = gate();
    gate.learn(200, headers(5, 30), time.nanoTime());
    gate.learn(200, headers(7, 30), time.nanoTime());
    assertEquals(5, gate.state().remaining());
    gate.learn(200, headers(3, 200), time.nanoTime()); // the 5-minute rule now binds with fewer left
    assertEquals(3, gate.state().remaining());
    time.advance(Duration.ofSeconds(201));
    assertEquals(-1, gate.state().remaining(), "after the reset nothing is assumed");
    gate.learn(200, headers(170, 60), time.nanoTime());
    assertEquals(170, gate.state().remaining());
  }

  @Test
  void anAnswerInTheWindowsLastSecondKeepsItsBudgetUntilTheMarginHasPassed() {
    // Assignr rounds the seconds to the reset down: "0 s" means the window ends within a second,
    // and it still counts. The gate once took "0 s" for a reset and admitted without limit.
    GateDriver gate = gate();
    gate.learn(200, headers(5, 0), time.nanoTime());
    int admitted = 0;
    for (int caller = 0; caller < 10; caller++) {
      if (gate.tryAcquire(time.nanoTime(), Long.MAX_VALUE) == 0) admitted++;
    }
    assertEquals(3, admitted, "5 left, 2 in reserve");
    assertEquals(5, gate.state().remaining());
    gate.onResponse(200, headers(7, 0), time.nanoTime()); // the same window, an older answer
    assertEquals(5, gate.state().remaining(), "more left within the rounding is a stale answer");
    assertEquals(0, gate.tryAcquire(time.nanoTime(), Long.MAX_VALUE), "5 left, 2 in flight, 2 reserved: one more");
    assertTrue(gate.tryAcquire(time.nanoTime(), Long.MAX_VALUE) > 0, "and no more");

    time.advance(Duration.ofMillis(999));
    assertTrue(gate.tryAcquire(time.nanoTime(), Long.MAX_VALUE) > 0, "the margin has not passed yet");
    gate.onResponse(200, headers(179, 60), time.nanoTime()); // maybe the next window, maybe slow
    assertEquals(5, gate.state().remaining(), "more left before the margin has passed is not believed");
    time.advance(Duration.ofMillis(1));
    assertEquals(-1, gate.state().remaining(), "reset + margin: nothing is assumed");
    gate.onResponse(200, headers(178, 59), time.nanoTime());
    assertEquals(178, gate.state().remaining(), "the new window's budget");
    assertEquals(0, gate.tryAcquire(time.nanoTime(), Long.MAX_VALUE));
  }

  @Test
  void onceAWindowAndItsMarginHavePassedOnlyAFewProbeUntilTheNextAnswer() {
    GateDriver gate = gate(AssignrResilience.builder().gate(GatePolicy.builder().coldStartConcurrency(2).build()));
    gate.learn(200, headers(50, 0), time.nanoTime());
    time.advance(Duration.ofMillis(500));
    gate.learn(200, headers(52, 0), time.nanoTime()); // an answer inside the margin: the old window's
    time.advance(Duration.ofMillis(600));
    assertEquals(-1, gate.state().remaining(), "reset + margin has passed: nothing is assumed");
    long[] answers = new long[4];
    for (int caller = 0; caller < 4; caller++) answers[caller] = gate.tryAcquire(time.nanoTime(), Long.MAX_VALUE);
    assertEquals(List.of(0L, 0L, 50 * MILLI, 50 * MILLI), java.util.Arrays.stream(answers).boxed().toList(),
        "the old window's last answer does not count as one of the new window");
  }

  @Test
  void aColdCrowdSendsOnlyAFewAttemptsUntilTheFirstAnswerTeachesTheBudget() {
    GateDriver gate = gate(AssignrResilience.builder().gate(GatePolicy.builder().coldStartConcurrency(3).build()));
    long[] answers = new long[5];
    for (int caller = 0; caller < 5; caller++) answers[caller] = gate.tryAcquire(time.nanoTime(), Long.MAX_VALUE);
    assertEquals(List.of(0L, 0L, 0L, 50 * MILLI, 50 * MILLI), java.util.Arrays.stream(answers).boxed().toList(),
        "three go, two look again in 50 ms");
    gate.onResponse(200, headers(170, 40), time.nanoTime());
    assertEquals(0, gate.tryAcquire(time.nanoTime(), Long.MAX_VALUE), "the budget is known: 170 left, 2 in flight");
    assertEquals(0, gate.tryAcquire(time.nanoTime(), Long.MAX_VALUE));
  }

  @Test
  void aServerWithoutRateLimitHeadersIsNotThrottledOnceItHasAnswered() {
    GateDriver gate = gate(AssignrResilience.builder().gate(GatePolicy.builder().coldStartConcurrency(1).build()));
    assertEquals(0, gate.tryAcquire(time.nanoTime(), Long.MAX_VALUE));
    assertEquals(50 * MILLI, gate.tryAcquire(time.nanoTime(), Long.MAX_VALUE), "one probe at a time before any answer");
    gate.onResponse(200, RateLimitInfo.none(), time.nanoTime());
    for (int i = 0; i < 20; i++) assertEquals(0, gate.tryAcquire(time.nanoTime(), Long.MAX_VALUE), "attempt " + i);
  }

  @Test
  void a200ThatOvertakesA429CannotReopenTheBudget() {
    GateDriver gate = gate();
    gate.learn(429, headers(0, 5), time.nanoTime());
    gate.learn(200, headers(150, 59), time.nanoTime()); // sent before the 429, answered after it
    assertEquals(0, gate.state().remaining());
    time.advance(Duration.ofSeconds(6));
    assertEquals(-1, gate.state().remaining(), "the 429's window has reset: the budget is unknown, not 150");
  }

  @Test
  void pacingSpreadsAdmissionsEvenlyOverTheWindow() {
    GateDriver gate = gate(AssignrResilience.builder().gate(GatePolicy.builder().pacing(true).reserve(0).build()));
    gate.learn(200, headers(10, 10), time.nanoTime());
    assertEquals(0, gate.tryAcquire(time.nanoTime(), Long.MAX_VALUE));
    long wait = gate.tryAcquire(time.nanoTime(), Long.MAX_VALUE);
    assertEquals(SECOND * 10 / 10, wait, "10 s / (10 left - 1 in flight + 1) = 1 s apart");
    time.advance(Duration.ofNanos(wait));
    assertEquals(0, gate.tryAcquire(time.nanoTime(), Long.MAX_VALUE));
  }

  @Test
  void a429WithoutHeadersClosesForTheInitialBackoff() {
    GateDriver gate = gate();
    gate.learn(429, RateLimitInfo.none(), time.nanoTime());
    assertEquals(500 * MILLI + 1 * SECOND + 20 * MILLI, gate.tryAcquire(time.nanoTime(), Long.MAX_VALUE));
  }

  @Test
  void theQuotaKeyHoldsAHashOfTheCredentialsNeverTheCredentials() {
    AssignrResilience resilience = AssignrResilience.builder().timeSource(time).build();
    GateDriver gate = GateDriver.of(resilience.gateFor(RequestInfo.of("GET", java.net.URI.create("https://API.assignr.com/"), true), "Bearer secret-token"));
    assertFalse(gate.quotaKey().contains("secret"), gate.quotaKey());
    assertTrue(gate.quotaKey().startsWith("api.assignr.com#"), gate.quotaKey());
    assertEquals(gate.gate(), resilience.gateFor(RequestInfo.of("GET", java.net.URI.create("https://api.assignr.com/"), true), "Bearer secret-token"), "one gate per quota");
    assertNotEquals(gate.gate(), resilience.gateFor(RequestInfo.of("GET", java.net.URI.create("https://api.assignr.com/"), true), "Bearer another-account"));
    assertFalse(resilience.toString().contains("secret"), resilience.toString());
    assertFalse(gate.toString().contains("secret"), gate.toString());
  }

  /**
   * The invariant: once a closure is published, nothing is admitted until the clock passes it.
   * Eight threads hammer the gate (admit, answer) while the test thread closes it with a 429;
   * every call a worker starts after seeing the closure's round number must be refused.
   */
  @Test
  void stressNothingIsAdmittedWhileTheGateIsClosed() throws Exception {
    GateDriver gate = gate(AssignrResilience.builder().gate(GatePolicy.builder().reserve(0).build()));
    int workers = 8;
    AtomicLong closedRound = new AtomicLong(-1);
    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger violations = new AtomicInteger();
    AtomicInteger admitted = new AtomicInteger();
    AtomicInteger refusedWhileClosed = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(workers);
    java.util.concurrent.atomic.AtomicLongArray iterations = new java.util.concurrent.atomic.AtomicLongArray(workers);
    for (int w = 0; w < workers; w++) {
      int worker = w;
      Thread t = new Thread(() -> {
        try {
          while (!stop.get()) {
            iterations.incrementAndGet(worker);
            long roundSeen = closedRound.get();
            Admission answer = gate.gate().tryAcquire(time.nanoTime(), Long.MAX_VALUE);
            if (answer instanceof Permit) {
              admitted.incrementAndGet();
              if (roundSeen >= 0) violations.incrementAndGet();
              ((Permit) answer).onResponse(200, headers(100_000, 59), time.nanoTime());
            } else if (roundSeen >= 0) {
              refusedWhileClosed.incrementAndGet();
            }
          }
        } finally {
          done.countDown();
        }
      });
      t.setDaemon(true);
      t.start();
    }
    for (int round = 0; round < 20; round++) {
      long before = admitted.get();
      while (admitted.get() < before + 200) Thread.onSpinWait();
      gate.learn(429, headers(0, 5), time.nanoTime());
      closedRound.set(round);
      // let every worker hammer the closed gate many times
      int refusedBefore = refusedWhileClosed.get();
      while (refusedWhileClosed.get() < refusedBefore + 2_000) Thread.onSpinWait();
      closedRound.set(-1);
      // every call started while the round was marked closed must finish before the clock moves
      long[] seen = new long[workers];
      for (int w = 0; w < workers; w++) seen[w] = iterations.get(w);
      for (int w = 0; w < workers; w++) {
        while (iterations.get(w) < seen[w] + 2 && !stop.get()) Thread.onSpinWait();
      }
      time.advance(Duration.ofSeconds(7));
    }
    stop.set(true);
    assertTrue(done.await(10, TimeUnit.SECONDS));
    assertEquals(0, violations.get(), "admissions while closed");
    assertEquals(0, gate.state().inFlight(), "every admission was answered exactly once");
    assertTrue(refusedWhileClosed.get() >= 40_000, "the closed gate was really hammered");
  }
}
