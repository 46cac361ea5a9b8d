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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The in-process gate as only it can be tested: under threads, and as the gates of an {@link
 * AssignrResilience}. Its rules (budget, in flight, reserve, margin, cold start, pacing, closures,
 * release places, events) are the scenarios of the testkit's gate contract ({@code
 * gate-contract.txt}), which the testkit's {@code LocalGateContractTest} runs on this gate and
 * {@code RedisGateContractTest} on the Redis scripts: core's tests cannot depend on the testkit
 * (it depends on core), so run {@code -pl assignr-resilience-testkit -am} after changing the gate.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RateLimitGateTest {
  private final VirtualTime time = VirtualTime.manual();

  private GateDriver gate(AssignrResilience.Builder builder) {
    return GateDriver.of(builder.timeSource(time).listener(RetryListener.NONE).build().gateFor(RequestInfo.of("GET", java.net.URI.create("https://api.assignr.com/"), true), "Bearer secret-token"));
  }

  private static RateLimitInfo headers(int remaining, int secondsToReset) {
    return RateLimitInfo.from(Headers.of("X-Ratelimit-Remaining", String.valueOf(remaining),
        "X-Ratelimit-Reset-Seconds-Remaining", String.valueOf(secondsToReset),
        "X-Ratelimit-Limit", "180", "X-Ratelimit-Period", "60"));
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
