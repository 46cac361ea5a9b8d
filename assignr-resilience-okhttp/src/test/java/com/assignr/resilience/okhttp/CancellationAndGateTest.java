package com.assignr.resilience.okhttp;

import static com.assignr.resilience.okhttp.OkHttpHarness.RESET_SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.assignr.resilience.AssignrResilience;
import com.assignr.resilience.okhttp.OkHttpHarness.Mode;
import com.assignr.resilience.testkit.JournalEntry;
import com.assignr.resilience.testkit.ScriptedResponse;
import com.assignr.resilience.testkit.VirtualTime;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.Dispatcher;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Timelines with several callers on manual virtual time: cancellation and the shared gate. */
@Timeout(60)
class CancellationAndGateTest {
  @RegisterExtension
  static final OkHttpHarness h = new OkHttpHarness();

  @ParameterizedTest
  @EnumSource(Mode.class)
  void cancelDuringAWaitEndsTheCallPromptlyAndSendsNothingMore(Mode mode) throws Exception {
    VirtualTime time = VirtualTime.manual();
    AssignrResilience resilience = h.resilience(time).build();
    h.sim().script().next(1).respond(ScriptedResponse.status(429).header(RESET_SECONDS, "30"));
    Call call = mode.calls(h.client(), resilience).newCall(h.request("/sites/1/games").build());
    CompletableFuture<Response> outcome = mode.start(call, h.threads());
    mode.awaitWaiting(time, 1, List.of(outcome)); // refused once; now waiting 31 s of virtual time

    long cancelledAt = System.nanoTime();
    call.cancel();
    ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
        () -> outcome.get(10, TimeUnit.SECONDS));
    long latencyMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - cancelledAt);

    assertInstanceOf(InterruptedIOException.class, e.getCause());
    assertTrue(call.isCanceled());
    assertTrue(latencyMillis < 5_000, "ended " + latencyMillis + " ms after cancel()");
    // The thread that scheduled the wait may still be returning from schedule(), where it
    // withdraws a wait scheduled after the cancel; so look until it has.
    OkHttpHarness.awaitTrue(() -> time.sleepingThreads() == 0 && time.pendingTasks() == 0,
        "the pending wait was withdrawn");
    time.advance(Duration.ofMinutes(2));
    assertEquals(1, h.sim().journal().count(), "nothing is sent after cancel()");
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void eightConcurrentCallsAndOne429ShareOneGateWait(Mode mode) throws Exception {
    VirtualTime time = VirtualTime.manual();
    AssignrResilience resilience = h.resilience(time).build();
    h.sim().script().next(1).respond(ScriptedResponse.status(429).header(RESET_SECONDS, "7"));
    Call.Factory calls = mode.calls(h.client(), resilience);
    List<CompletableFuture<Response>> outcomes = new ArrayList<>();

    outcomes.add(mode.start(calls.newCall(h.request("/sites/1/games").build()), h.threads()));
    try {
      mode.awaitWaiting(time, 1, outcomes);
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "\njournal: " + h.journal(), e);
    }
    // the first call was refused: the gate is closed for 7 s + 1 s
    for (int i = 1; i < 8; i++) {
      outcomes.add(mode.start(calls.newCall(h.request("/sites/1/games").build()), h.threads()));
    }
    mode.awaitWaiting(time, 8, outcomes);

    assertEquals(1, h.sim().journal().count(), () -> "no request while the gate is closed; journal "
        + h.journal() + "; sent " + h.sent + "; sleeps " + time.sleeps());
    // A call waiting in the interceptor is still running in OkHttp's eyes (and under enqueue it
    // holds a dispatcher thread); the factory's calls wait outside OkHttp.
    // (The refused attempt's dispatcher thread returns right after scheduling the retry.)
    int running = mode.factory ? 0 : 8;
    OkHttpHarness.awaitTrue(() -> h.client().dispatcher().runningCallsCount() == running,
        running + " calls running in OkHttp's dispatcher");
    List<Duration> waits = mode.waits(time).stream().sorted().toList();
    List<Duration> expected = new ArrayList<>();
    expected.add(Duration.ofSeconds(8)); // the refused call's retry delay
    for (int k = 1; k < 8; k++) expected.add(Duration.ofSeconds(8).plusMillis(20L * k)); // spread
    assertEquals(expected, waits);

    Instant reset = time.instant().plusSeconds(8);
    time.advance(Duration.ofSeconds(9));
    for (CompletableFuture<Response> outcome : outcomes) {
      try (Response response = OkHttpHarness.await(outcome)) {
        assertEquals(200, response.code());
      }
    }
    List<JournalEntry> journal = h.journal();
    assertEquals(9, journal.size());
    for (JournalEntry entry : journal.subList(1, 9)) {
      assertTrue(!entry.arrivedAt().isBefore(reset), entry + " arrived before the reset");
    }
  }

  @Test
  void theFactoryHoldsNoDispatcherThreadWhileCallsWait() throws Exception {
    VirtualTime time = VirtualTime.manual();
    AssignrResilience resilience = h.resilience(time).build();
    h.sim().script().next(1).respond(ScriptedResponse.status(429).header(RESET_SECONDS, "7"));
    Call.Factory calls = AssignrCallFactory.create(h.client(), resilience);
    Dispatcher dispatcher = h.client().dispatcher();
    int waiting = 100; // more than the dispatcher's 64 threads
    List<CompletableFuture<Response>> outcomes = new ArrayList<>();

    outcomes.add(Mode.FACTORY_ENQUEUE.start(calls.newCall(h.request("/sites/1/games").build()), null));
    assertTrue(time.awaitScheduled(1, Duration.ofSeconds(10)));
    for (int i = 1; i < waiting; i++) {
      outcomes.add(Mode.FACTORY_ENQUEUE.start(calls.newCall(h.request("/sites/1/games").build()), null));
    }
    assertTrue(time.awaitScheduled(waiting, Duration.ofSeconds(10)));

    // The refused attempt's dispatcher thread is released as soon as it has scheduled its retry.
    OkHttpHarness.awaitTrue(() -> dispatcher.runningCallsCount() == 0, "no dispatcher thread held");
    assertEquals(waiting, time.pendingTasks(), "every call is still waiting");
    assertEquals(0, dispatcher.queuedCallsCount());
    assertEquals(1, h.sim().journal().count());

    // After the reset the gate knows no budget: the first ten go (cold start), their answers
    // teach it the budget, and the rest follow as the clock moves on.
    time.advance(Duration.ofSeconds(8).plusMillis(20L * waiting));
    for (int step = 0; step < 200 && !outcomes.stream().allMatch(CompletableFuture::isDone); step++) {
      OkHttpHarness.awaitTrue(() -> time.pendingTasks() + outcomes.stream().filter(CompletableFuture::isDone).count()
          == outcomes.size(), "every call answered or waiting again");
      time.advance(Duration.ofMillis(50));
    }
    for (CompletableFuture<Response> outcome : outcomes) {
      try (Response response = OkHttpHarness.await(outcome)) {
        assertEquals(200, response.code());
      }
    }
    assertEquals(waiting + 1, h.sim().journal().count());
  }

  @Test
  void cancelStopsTheFactorysAttemptInFlight() throws Exception {
    VirtualTime time = VirtualTime.manual();
    AssignrResilience resilience = h.resilience(time).build();
    h.sim().script().next(1).delay(Duration.ofSeconds(5)); // real time: the attempt stays in flight
    Call call = AssignrCallFactory.create(h.client(), resilience).newCall(h.request("/sites/1/games").build());
    CompletableFuture<Response> outcome = Mode.FACTORY_ENQUEUE.start(call, null);
    OkHttpHarness.awaitTrue(() -> h.client().dispatcher().runningCallsCount() == 1, "attempt in flight");
    // Wait until the server has the request, not merely until OkHttp wrote it: a request still in
    // transit when this test ends would reach the server during the next test.
    OkHttpHarness.awaitTrue(() -> h.sim().journal().count() == 1, "request at the server");

    call.cancel();

    ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
        () -> outcome.get(3, TimeUnit.SECONDS)); // well before the server's 5 s answer
    assertInstanceOf(InterruptedIOException.class, e.getCause());
    OkHttpHarness.awaitTrue(() -> h.client().dispatcher().runningCallsCount() == 0, "attempt cancelled");
    assertEquals(0, time.pendingTasks(), "no retry scheduled after cancel()");
  }
}
