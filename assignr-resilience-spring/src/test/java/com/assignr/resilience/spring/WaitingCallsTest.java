package com.assignr.resilience.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.assignr.resilience.AssignrResilience;
import com.assignr.resilience.Decision;
import com.assignr.resilience.GatePolicy;
import com.assignr.resilience.Outcome;
import com.assignr.resilience.RequestInfo;
import com.assignr.resilience.RetryListener;
import com.assignr.resilience.StopReason;
import com.assignr.resilience.testkit.ScriptedResponse;
import com.assignr.resilience.testkit.VirtualTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.http.ResponseEntity;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.Disposable;

/**
 * Waiting costs no thread, and a waiting or in-flight call that its subscriber disposes sends
 * nothing more. Manual virtual time: a wait ends only when the test moves the clock.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class WaitingCallsTest extends WebClientTestBase {
  static final int CALLERS = 2000;
  static final int THREAD_BUDGET = 16;
  static final Duration AWAIT = Duration.ofSeconds(10);

  /** Live threads of the JVM but the simulator's (Jetty's "qtp" pool grows with its own load). */
  static List<String> clientThreads() {
    List<String> names = new ArrayList<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.isAlive() && !t.getName().startsWith("qtp")) names.add(t.getName());
    }
    return names;
  }

  @ParameterizedTest
  @EnumSource(Connector.class)
  void two_thousand_calls_waiting_behind_a_closed_gate_hold_at_most_16_threads(Connector connector) throws Exception {
    VirtualTime vt = manual();
    // Released 5 ms apart after the reset, so all 2,001 fit under the one-minute cap on a gate wait
    // (at the default 20 ms, the last ~300 would be refused at once, which is not this test's point).
    AssignrResilience resilience = config(vt)
        .gate(GatePolicy.builder().releaseSpacing(Duration.ofMillis(5)).build()).build();
    WebClient client = client(connector, AssignrExchangeFilterFunction.create(resilience));
    List<String> before = clientThreads();

    // 1. One call is refused with 429 "reset in 30 s": the gate of this quota closes.
    sim.script().respond(ScriptedResponse.status(429).header("X-Ratelimit-Reset-Seconds-Remaining", "30"));
    List<CompletableFuture<ResponseEntity<Void>>> calls = new ArrayList<>();
    calls.add(client.get().uri(GAMES).retrieve().toBodilessEntity().toFuture());
    assertTrue(vt.awaitScheduled(1, AWAIT), "the refused call waits for the reset");
    assertTrue(resilience.gates().get(0).closed(), "the gate is closed");

    // 2. Two thousand more subscribe while it is closed.
    for (int i = 0; i < CALLERS; i++) calls.add(client.get().uri(GAMES).retrieve().toBodilessEntity().toFuture());

    assertEquals(CALLERS + 1, vt.pendingTasks(), "every call is a scheduled task");
    List<String> waiting = clientThreads();
    int grown = waiting.size() - before.size();
    System.out.printf("%s: %d calls waiting behind a closed gate: %d pending tasks; client threads %d -> %d (+%d)%n",
        connector, CALLERS + 1, vt.pendingTasks(), before.size(), waiting.size(), grown);
    assertTrue(grown <= THREAD_BUDGET, "threads grew by " + grown + " for " + (CALLERS + 1) + " waiting calls: "
        + waiting.stream().filter(n -> !before.contains(n)).toList());
    assertEquals(1, sim.journal().count(), "nothing was sent while the gate was closed");
    assertTrue(calls.stream().noneMatch(CompletableFuture::isDone));

    // 3. The window resets: the callers are released, spread out, and all complete.
    vt.advance(Duration.ofSeconds(31));
    for (int step = 0; step < 4000 && !calls.stream().allMatch(CompletableFuture::isDone); step++) {
      awaitQuiet(vt, calls);
      vt.advance(Duration.ofMillis(100));
    }
    CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    assertTrue(calls.stream().allMatch(f -> f.join().getStatusCode().value() == 200));
    assertEquals(CALLERS + 2, sim.journal().count(), "each call was sent once more, after the reset");
    assertEquals(0, vt.pendingTasks());
  }

  /** Waits (real time, bounded) until every call is either done or waiting as a scheduled task. */
  static void awaitQuiet(VirtualTime vt, List<? extends CompletableFuture<?>> calls) throws InterruptedException {
    for (int i = 0; i < 2000; i++) {
      int running = (int) calls.stream().filter(c -> !c.isDone()).count();
      if (vt.pendingTasks() >= running) return;
      vt.awaitScheduled(running, Duration.ofMillis(5));
    }
  }

  /** Records every give-up, to see the call's end announced. */
  static final class GiveUps implements RetryListener {
    final List<StopReason> reasons = new CopyOnWriteArrayList<>();

    @Override
    public void onGiveUp(RequestInfo request, int attempts, Duration elapsed, Decision.Stop stop, Outcome last) {
      reasons.add(stop.reason());
    }
  }

  /**
   * Waits (real time, bounded) until the pending wait is withdrawn. {@code dispose()} withdraws it
   * on the disposing thread, unless the loop's thread is just storing the wait it scheduled: the
   * loop then withdraws it itself a moment later. Prints how long that took.
   */
  static void awaitWithdrawn(VirtualTime vt, String what) {
    long start = System.nanoTime();
    long giveUp = start + TimeUnit.SECONDS.toNanos(5);
    while (vt.pendingTasks() > 0 && System.nanoTime() < giveUp) Thread.onSpinWait();
    long took = System.nanoTime() - start;
    System.out.printf("%s: wait withdrawn %.3f ms after dispose()%n", what, took / 1e6);
    assertEquals(0, vt.pendingTasks(), "the wait was withdrawn");
  }

  @ParameterizedTest
  @EnumSource(Connector.class)
  void disposing_a_call_waiting_for_the_reset_withdraws_its_wait_and_sends_nothing_more(Connector connector)
      throws Exception {
    VirtualTime vt = manual();
    GiveUps giveUps = new GiveUps();
    WebClient client = client(connector, AssignrExchangeFilterFunction.create(config(vt).listener(giveUps).build()));
    sim.script().respond(ScriptedResponse.status(429).header("X-Ratelimit-Reset-Seconds-Remaining", "30"));
    AtomicInteger signals = new AtomicInteger();

    Disposable call = client.get().uri(GAMES).retrieve().toBodilessEntity()
        .subscribe(r -> signals.incrementAndGet(), e -> signals.incrementAndGet());
    assertTrue(vt.awaitScheduled(1, AWAIT), "the call waits for the reset");

    call.dispose();

    awaitWithdrawn(vt, connector + ", waiting for the reset");
    assertEquals(List.of(StopReason.CANCELLED), giveUps.reasons, "the call's end was announced once");
    vt.advance(Duration.ofMillis(10));
    assertEquals(1, sim.journal().count(), "nothing more sent 10 ms later");
    vt.advance(Duration.ofMinutes(2));
    assertEquals(1, sim.journal().count(), "nor after the reset");
    assertEquals(0, signals.get(), "a disposed subscriber hears nothing");
  }

  @ParameterizedTest
  @EnumSource(Connector.class)
  void disposing_a_post_waiting_for_its_retry_after_a_503_sends_nothing_more(Connector connector) throws Exception {
    VirtualTime vt = manual();
    WebClient client = client(connector, AssignrExchangeFilterFunction.create(config(vt).build()));
    sim.script().serviceUnavailable(1);

    Disposable call = ExchangeFilterTest.post(client, GAMES, NEW_GAME).subscribe(r -> { }, e -> { });
    assertTrue(vt.awaitScheduled(1, AWAIT), "the retry after the 503 is scheduled");
    call.dispose();

    awaitWithdrawn(vt, connector + ", waiting for a retry after 503");
    vt.advance(Duration.ofMinutes(1));
    assertEquals(List.of(503), statuses("POST", GAMES));
  }

  /** The exchange in flight is cancelled below the filter (the connector aborts it); no retry follows. */
  @ParameterizedTest
  @EnumSource(Connector.class)
  void disposing_a_call_in_flight_cancels_its_exchange(Connector connector) throws Exception {
    VirtualTime vt = manual();
    CountDownLatch subscribed = new CountDownLatch(1);
    CountDownLatch cancelled = new CountDownLatch(1);
    ExchangeFilterFunction below = (request, next) -> next.exchange(request)
        .doOnSubscribe(s -> subscribed.countDown()).doOnCancel(cancelled::countDown);
    WebClient client = client(connector, AssignrExchangeFilterFunction.create(config(vt).build()), below);
    sim.script().delay(Duration.ofSeconds(5), 1);
    AtomicInteger signals = new AtomicInteger();

    Disposable call = client.get().uri(GAMES).retrieve().toBodilessEntity()
        .subscribe(r -> signals.incrementAndGet(), e -> signals.incrementAndGet());
    assertTrue(subscribed.await(10, TimeUnit.SECONDS), "the attempt is in flight");
    call.dispose();

    assertTrue(cancelled.await(0, TimeUnit.SECONDS), "the exchange was cancelled by dispose()");
    assertEquals(0, vt.pendingTasks(), "no retry is scheduled");
    vt.advance(Duration.ofMinutes(1));
    assertTrue(sim.journal().count() <= 1, "at most the one attempt reached the server");
    assertFalse(signals.get() > 0, "a disposed subscriber hears nothing");
  }
}
