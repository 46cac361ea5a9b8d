package com.assignr.resilience.jdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.assignr.resilience.AssignrResilience;
import com.assignr.resilience.testkit.VirtualTime;
import com.assignr.resilience.testkit.ScriptedResponse;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A thousand {@code sendAsync} calls waiting behind a closed gate are a thousand scheduled tasks,
 * not a thousand parked threads.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ClosedGateConcurrencyTest extends SimulatorTestBase {
  static final int CALLERS = 1000;

  @Test
  void aThousandCallsWaitingBehindAClosedGateHoldNoThreads() throws Exception {
    VirtualTime vt = manual();
    AssignrResilience resilience = config(vt).build();
    HttpClient client = AssignrHttpClient.wrap(jdk, resilience);
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();

    // 1. One call is refused with 429 "reset in 30 s": the gate of this quota closes.
    sim.script().respond(ScriptedResponse.status(429).header("X-Ratelimit-Reset-Seconds-Remaining", "30"));
    CompletableFuture<HttpResponse<Void>> first = client.sendAsync(get(GAMES), BodyHandlers.discarding());
    assertTrue(vt.awaitScheduled(1, Duration.ofSeconds(10)), "the refused call waits for the reset");
    assertTrue(resilience.gates().get(0).closed(), "the gate is closed");
    int threadsBefore = threads.getThreadCount();

    // 2. A thousand more callers arrive while it is closed.
    List<CompletableFuture<HttpResponse<Void>>> waiting = new ArrayList<>();
    for (int i = 0; i < CALLERS; i++) {
      waiting.add(client.sendAsync(get(GAMES), BodyHandlers.discarding()));
    }

    assertEquals(CALLERS + 1, vt.pendingTasks(), "every caller is a scheduled task");
    int growth = threads.getThreadCount() - threadsBefore;
    assertTrue(growth <= 3, "threads grew by " + growth + " for " + CALLERS + " waiting calls");
    System.out.printf("%d calls waiting behind a closed gate: %d pending tasks, live threads %d -> %d%n",
        CALLERS, vt.pendingTasks(), threadsBefore, threads.getThreadCount());
    assertEquals(1, sim.journal().count(), "nothing was sent while the gate was closed");
    assertTrue(waiting.stream().noneMatch(CompletableFuture::isDone));

    // 3. The window resets: everyone is released (spread out) and completes.
    // After the reset the gate knows no budget: the first ten go (cold start) and, once one has
    // been answered, the rest follow as the clock moves on.
    vt.advance(Duration.ofMinutes(1));
    waiting.add(first);
    for (int step = 0; step < 200 && !waiting.stream().allMatch(CompletableFuture::isDone); step++) {
      awaitQuiet(vt, waiting);
      vt.advance(Duration.ofMillis(50));
    }
    CompletableFuture.allOf(waiting.toArray(CompletableFuture[]::new)).get(45, TimeUnit.SECONDS);
    assertTrue(waiting.stream().allMatch(f -> f.join().statusCode() == 200));
    assertEquals(CALLERS + 2, sim.journal().count());
    assertEquals(0, vt.pendingTasks());
  }

  /** Waits (real time, bounded) until every call is either done or waiting as a scheduled task. */
  private static void awaitQuiet(VirtualTime vt, List<? extends CompletableFuture<?>> calls)
      throws InterruptedException {
    for (int i = 0; i < 2000; i++) {
      int running = (int) calls.stream().filter(c -> !c.isDone()).count();
      if (vt.pendingTasks() >= running) return;
      vt.awaitScheduled(running, Duration.ofMillis(5));
    }
  }
}
