package com.assignr.resilience.jdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.assignr.resilience.testkit.VirtualTime;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Cancelling a call: the returned future for {@code sendAsync}, an interrupt for {@code send}.
 * Manual virtual time holds the call in its wait until the test decides.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class CancellationTest extends SimulatorTestBase {
  static final Duration AWAIT = Duration.ofSeconds(10);

  /** Spins (yielding, never sleeping) until {@code condition} holds, for at most 5 s. */
  static boolean eventually(java.util.function.BooleanSupplier condition) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) return false;
      Thread.yield();
    }
    return true;
  }

  @Test
  void asyncCancelDuringTheScheduledWaitWithdrawsItAndSendsNothingMore() throws Exception {
    VirtualTime vt = manual();
    HttpClient client = AssignrHttpClient.wrap(jdk, config(vt).build());
    sim.script().serviceUnavailable(1);

    CompletableFuture<HttpResponse<String>> future = client.sendAsync(get(GAMES), BodyHandlers.ofString());
    assertTrue(vt.awaitScheduled(1, AWAIT), "the retry after the 503 is scheduled");
    assertTrue(future.cancel(true));

    assertTrue(future.isCancelled());
    assertThrows(CancellationException.class, future::join);
    // The thread that scheduled the wait may still be returning from schedule() when the test
    // wakes; it withdraws its own task as soon as it sees the cancellation.
    assertTrue(eventually(() -> vt.pendingTasks() == 0), "the pending wait was withdrawn");
    vt.advance(Duration.ofMinutes(5));
    assertEquals(1, served("GET", GAMES), "nothing was sent after the cancel");
  }

  @Test
  void syncInterruptDuringTheWaitThrowsInterruptedExceptionAndSendsNothingMore() throws Exception {
    VirtualTime vt = manual();
    HttpClient client = AssignrHttpClient.wrap(jdk, config(vt).build());
    sim.script().serviceUnavailable(1);
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    AtomicBoolean flagAfter = new AtomicBoolean();
    CountDownLatch done = new CountDownLatch(1);

    Thread caller = new Thread(() -> {
      try {
        client.send(get(GAMES), BodyHandlers.ofString());
      } catch (Throwable t) {
        thrown.set(t);
      } finally {
        flagAfter.set(Thread.currentThread().isInterrupted());
        done.countDown();
      }
    }, "sync-caller");
    caller.start();
    assertTrue(vt.awaitSleepers(1, AWAIT), "the caller waits for its retry");
    caller.interrupt();

    assertTrue(done.await(10, TimeUnit.SECONDS), "the interrupt ended the wait");
    assertInstanceOf(InterruptedException.class, thrown.get());
    assertTrue(flagAfter.get(), "the interrupt flag is restored");
    vt.advance(Duration.ofMinutes(5));
    assertEquals(1, served("GET", GAMES), "nothing was sent after the interrupt");
  }

  @Test
  void asyncCancelDuringAnAttemptCancelsTheWrappedClientsFuture() {
    VirtualTime vt = manual();
    StubHttpClient stub = new StubHttpClient(request -> new CompletableFuture<>()); // never answers
    HttpClient client = AssignrHttpClient.wrap(stub, config(vt).build());

    CompletableFuture<HttpResponse<String>> future = client.sendAsync(
        HttpRequest.newBuilder(URI.create("https://api.assignr.com/api/v2/sites")).build(),
        BodyHandlers.ofString());
    assertEquals(1, stub.futures.size(), "the first attempt is in flight");
    future.cancel(true);

    assertTrue(future.isCancelled());
    assertTrue(stub.futures.get(0).isCancelled(), "the attempt in flight was cancelled");
    assertEquals(0, vt.pendingTasks());
    assertEquals(1, stub.requests.size());
  }

  @Test
  void syncInterruptDuringAnAttemptThrowsInterruptedException() throws Exception {
    VirtualTime vt = manual();
    CountDownLatch inFlight = new CountDownLatch(1);
    StubHttpClient stub = new StubHttpClient(request -> {
      inFlight.countDown();
      return new CompletableFuture<>();
    });
    HttpClient client = AssignrHttpClient.wrap(stub, config(vt).build());
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    AtomicBoolean flagAfter = new AtomicBoolean();
    CountDownLatch done = new CountDownLatch(1);

    Thread caller = new Thread(() -> {
      try {
        client.send(HttpRequest.newBuilder(URI.create("https://api.assignr.com/api/v2/sites")).build(),
            BodyHandlers.ofString());
      } catch (Throwable t) {
        thrown.set(t);
      } finally {
        flagAfter.set(Thread.currentThread().isInterrupted());
        done.countDown();
      }
    }, "sync-caller");
    caller.start();
    assertTrue(inFlight.await(10, TimeUnit.SECONDS));
    caller.interrupt();

    assertTrue(done.await(10, TimeUnit.SECONDS));
    assertInstanceOf(InterruptedException.class, thrown.get());
    assertNotNull(thrown.get().getCause());
    assertTrue(flagAfter.get(), "the interrupt flag is restored");
    assertEquals(1, stub.requests.size(), "an interrupted attempt is never retried");
    assertEquals(0, vt.pendingTasks());
  }
}
