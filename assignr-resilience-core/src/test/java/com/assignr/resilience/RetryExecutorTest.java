package com.assignr.resilience;

import com.assignr.resilience.spi.AuthorizationFailure;
import com.assignr.resilience.spi.CallOptions;
import com.assignr.resilience.spi.RateLimitGate;
import com.assignr.resilience.spi.RetryExecutor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.assignr.resilience.testkit.VirtualTime;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The executor's loop, sync and async, against a scripted in-memory "server" on virtual time. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RetryExecutorTest {
  enum Mode { SYNC, ASYNC }

  static final URI GAMES = URI.create("https://api.assignr.com/api/v2/games/1");

  /** Answers attempts from a script; records the virtual time of each. */
  static final class Script {
    final Deque<Object> answers = new ArrayDeque<>();
    final List<Duration> arrivals = Collections.synchronizedList(new ArrayList<>());
    final List<FakeResponse> returned = Collections.synchronizedList(new ArrayList<>());
    final VirtualTime time;

    Script(VirtualTime time, Object... answers) {
      this.time = time;
      Collections.addAll(this.answers, answers);
    }

    synchronized FakeResponse next() throws IOException {
      arrivals.add(time.elapsed());
      Object answer = answers.size() > 1 ? answers.poll() : answers.peek();
      if (answer instanceof IOException) throw (IOException) answer;
      FakeResponse template = (FakeResponse) answer;
      FakeResponse fresh = new FakeResponse(template.status, template.body, flatten(template));
      returned.add(fresh);
      return fresh;
    }

    private static String[] flatten(FakeResponse r) {
      List<String> out = new ArrayList<>();
      for (String name : List.of("X-Ratelimit-Reset-Seconds-Remaining", "X-Ratelimit-Remaining", "Retry-After")) {
        if (r.headers.first(name) != null) {
          out.add(name);
          out.add(r.headers.first(name));
        }
      }
      return out.toArray(String[]::new);
    }
  }

  private final VirtualTime time = VirtualTime.autoAdvancing();

  private AssignrResilience.Builder config() {
    return AssignrResilience.builder().timeSource(time).random(() -> 0.0).listener(RetryListener.NONE);
  }

  private static FakeResponse call(AssignrResilience resilience, Mode mode, String method, Script script,
      CallOptions options) throws Exception {
    RequestInfo request = RequestInfo.of(method, GAMES, true);
    if (mode == Mode.SYNC) {
      return resilience.executor().execute(request, options, n -> script.next(), FakeResponse.ADAPTER);
    }
    CompletableFuture<FakeResponse> future = resilience.executor().executeAsync(request, options, n -> {
      try {
        return CompletableFuture.completedFuture(script.next());
      } catch (IOException e) {
        return CompletableFuture.failedFuture(e);
      }
    }, FakeResponse.ADAPTER);
    try {
      return future.get(20, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Exception) throw (Exception) e.getCause();
      throw e;
    }
  }

  private List<Duration> waits(Mode mode) {
    return mode == Mode.SYNC ? time.sleeps() : time.scheduledDelays();
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void a429ThenA200WaitsTheHeaderPlusTheMarginAndDiscardsThe429(Mode mode) throws Exception {
    AssignrResilience resilience = config().build();
    Script script = new Script(time, FakeResponse.of(429, "X-Ratelimit-Reset-Seconds-Remaining", "7"), FakeResponse.of(200));
    CallOptions options = CallOptions.none().withCredentials("Bearer t");

    FakeResponse response = call(resilience, mode, "POST", script, options);

    assertEquals(200, response.status);
    assertEquals(0, response.discarded.get(), "the returned response is never disposed of");
    assertEquals(1, script.returned.get(0).discarded.get(), "the 429 was discarded before the retry");
    assertEquals(List.of(Duration.ofSeconds(8)), waits(mode), "7 s + 1 s margin, jitter pinned at 0");
    assertEquals(List.of(Duration.ZERO, Duration.ofSeconds(8)), script.arrivals);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void a503BurstIsRiddenOutWithExponentialBackoff(Mode mode) throws Exception {
    AssignrResilience resilience = config().build();
    Script script = new Script(time, FakeResponse.of(503), FakeResponse.of(503), FakeResponse.of(503), FakeResponse.of(200));
    FakeResponse response = call(resilience, mode, "POST", script, CallOptions.none());
    assertEquals(200, response.status);
    assertEquals(List.of(Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2)), waits(mode));
    assertEquals(3, script.returned.stream().filter(r -> r.discarded.get() == 1).count());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aPostAnswered500IsSentExactlyOnceAndReturnedAsIs(Mode mode) throws Exception {
    AssignrResilience resilience = config().build();
    Script script = new Script(time, FakeResponse.of(500), FakeResponse.of(200));
    FakeResponse response = call(resilience, mode, "POST", script, CallOptions.none());
    assertEquals(500, response.status);
    assertEquals(1, script.arrivals.size());
    assertEquals(0, response.discarded.get());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void withExceptionsOnA500BecomesATypedExceptionWithABoundedExcerpt(Mode mode) throws Exception {
    AssignrResilience resilience = config().throwOnFailure(true).bodyExcerptChars(10).build();
    Script script = new Script(time, new FakeResponse(500, "{\"error\":[{\"message\":\"boom and more\"}]}"));
    ServerErrorException e = assertThrows(ServerErrorException.class,
        () -> call(resilience, mode, "POST", script, CallOptions.none()));
    assertEquals(500, e.status());
    assertEquals(StopReason.NOT_IDEMPOTENT, e.stopReason());
    assertEquals("{\"error\":[", e.bodyExcerpt());
    assertEquals(1, script.returned.get(0).discarded.get(), "the thrown-for response is released");
    assertTrue(e.getMessage().startsWith("POST api.assignr.com/api/v2/games/1 -> 500 SERVER_ERROR after 1 attempt in 0 ms"),
        e.getMessage());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aConflictSaysToReReadAndResendWithTheFreshLockVersion(Mode mode) {
    AssignrResilience resilience = config().throwOnFailure(true).build();
    Script script = new Script(time, FakeResponse.of(409));
    ConflictException e = assertThrows(ConflictException.class, () -> call(resilience, mode, "PUT", script, CallOptions.none()));
    assertTrue(e.getMessage().contains("GET the resource again and resend with its fresh lock_version"), e.getMessage());
    assertEquals(1, script.arrivals.size());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void ioFailuresAreRetriedForGetAndTheGiveUpKeepsEveryEarlierFailure(Mode mode) {
    AssignrResilience resilience = config().policy(RetryPolicy.builder().maxAttempts(3).build()).build();
    Script script = new Script(time, new SocketTimeoutException("read timed out 1"),
        new SocketTimeoutException("read timed out 2"), new SocketTimeoutException("read timed out 3"));
    TransportException e = assertThrows(TransportException.class, () -> call(resilience, mode, "GET", script, CallOptions.none()));
    assertEquals(3, e.attempts());
    assertEquals(StopReason.ATTEMPTS_EXHAUSTED, e.stopReason());
    assertEquals("read timed out 3", e.getCause().getMessage());
    assertEquals(2, e.getSuppressed().length);
    assertTrue(e.getMessage().contains("after 3 attempts in 1500 ms: attempts exhausted"), e.getMessage());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aWaitThatWouldPassTheCallersDeadlineGivesUpAtOnce(Mode mode) throws Exception {
    AssignrResilience resilience = config().throwOnFailure(true).build();
    Script script = new Script(time, FakeResponse.of(429, "X-Ratelimit-Reset-Seconds-Remaining", "30"));
    RateLimitedException e = assertThrows(RateLimitedException.class,
        () -> call(resilience, mode, "GET", script, CallOptions.none().withTimeout(Duration.ofSeconds(10))));
    assertEquals(StopReason.DEADLINE_EXCEEDED, e.stopReason());
    assertEquals(time.instant().plusSeconds(31), e.retryAt());
    assertEquals(List.of(), waits(mode), "never sleeps into a timeout");
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aGateClosedForLongerThanTheCapRefusesWithoutSending(Mode mode) throws Exception {
    AssignrResilience resilience = config().build();
    RateLimitGate gate = resilience.gateFor(RequestInfo.of("GET", GAMES, true), "Bearer t");
    gate.learn(429, RateLimitInfo.from(Headers.of("X-Ratelimit-Reset-Seconds-Remaining", "3000")), time.nanoTime());
    Script script = new Script(time, FakeResponse.of(200));
    RateLimitedException e = assertThrows(RateLimitedException.class,
        () -> call(resilience, mode, "GET", script, CallOptions.none().withCredentials("Bearer t")));
    assertEquals(StopReason.WAIT_EXCEEDS_CAP, e.stopReason());
    assertEquals(0, e.attempts());
    assertEquals(List.of(), script.arrivals, "nothing was sent");
    assertTrue(e.retryAt().isAfter(time.instant().plusSeconds(3000)));
  }

  @Test
  void syncCancellationDuringABackoffEndsTheCallAndSendsNothingMore() throws Exception {
    VirtualTime manual = VirtualTime.manual();
    Ends ends = new Ends();
    AssignrResilience resilience = config().timeSource(manual).listener(ends).build();
    Script script = new Script(manual, FakeResponse.of(503), FakeResponse.of(200));
    AtomicBoolean cancelled = new AtomicBoolean();
    CompletableFuture<Throwable> outcome = CompletableFuture.supplyAsync(() -> {
      try {
        resilience.executor().execute(RequestInfo.of("GET", GAMES, true),
            CallOptions.none().withCancellation(cancelled::get), n -> script.next(), FakeResponse.ADAPTER);
        return null;
      } catch (Throwable t) {
        return t;
      }
    });
    assertTrue(manual.awaitSleepers(1, Duration.ofSeconds(10)));
    cancelled.set(true);
    Throwable thrown = outcome.get(10, TimeUnit.SECONDS);
    assertInstanceOf(InterruptedIOException.class, thrown);
    manual.advance(Duration.ofMinutes(1));
    assertEquals(1, script.arrivals.size());
    assertEquals(1, script.returned.get(0).discarded.get());
    assertEquals(List.of("CANCELLED after 1, last SERVICE_UNAVAILABLE"), ends.ends, "announced as ended, once");
  }

  @Test
  void syncInterruptionRestoresTheFlag() throws Exception {
    VirtualTime manual = VirtualTime.manual();
    AssignrResilience resilience = config().timeSource(manual).build();
    Script script = new Script(manual, FakeResponse.of(503));
    CompletableFuture<Boolean> interruptedAfter = new CompletableFuture<>();
    Thread caller = new Thread(() -> {
      try {
        resilience.executor().execute(RequestInfo.of("GET", GAMES, true), CallOptions.none(), n -> script.next(),
            FakeResponse.ADAPTER);
        interruptedAfter.complete(false);
      } catch (InterruptedIOException e) {
        interruptedAfter.complete(Thread.currentThread().isInterrupted());
      } catch (IOException e) {
        interruptedAfter.completeExceptionally(e);
      }
    });
    caller.start();
    assertTrue(manual.awaitSleepers(1, Duration.ofSeconds(10)));
    caller.interrupt();
    assertTrue(interruptedAfter.get(10, TimeUnit.SECONDS));
  }

  @Test
  void asyncCancellationWithdrawsThePendingWaitAndSendsNothingMore() throws Exception {
    VirtualTime manual = VirtualTime.manual();
    Ends ends = new Ends();
    AssignrResilience resilience = config().timeSource(manual).listener(ends).build();
    Script script = new Script(manual, FakeResponse.of(503), FakeResponse.of(200));
    CompletableFuture<FakeResponse> future = resilience.executor().executeAsync(RequestInfo.of("GET", GAMES, true),
        CallOptions.none(), n -> {
          try {
            return CompletableFuture.completedFuture(script.next());
          } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
          }
        }, FakeResponse.ADAPTER);
    assertTrue(manual.awaitScheduled(1, Duration.ofSeconds(10)));
    assertTrue(future.cancel(true));
    future.cancel(true);
    assertEquals(0, manual.pendingTasks(), "the scheduled retry was withdrawn");
    manual.advance(Duration.ofMinutes(1));
    assertEquals(1, script.arrivals.size());
    assertThrows(CancellationException.class, future::join);
    assertEquals(List.of("CANCELLED after 1, last SERVICE_UNAVAILABLE"), ends.ends, "announced as ended, once");
  }

  @Test
  void asyncCancellationCancelsTheAttemptInFlight() {
    AssignrResilience resilience = config().build();
    CompletableFuture<FakeResponse> inFlight = new CompletableFuture<>();
    CompletableFuture<FakeResponse> future = resilience.executor().executeAsync(RequestInfo.of("GET", GAMES, true),
        CallOptions.none(), n -> inFlight, FakeResponse.ADAPTER);
    future.cancel(true);
    assertTrue(inFlight.isCancelled());
  }

  /** Records every give-up: how a call ended, with how many attempts. */
  static final class Ends implements RetryListener {
    final List<String> ends = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void onGiveUp(RequestInfo request, int attempts, Duration elapsed, Decision.Stop stop, Outcome last) {
      ends.add(stop.reason() + " after " + attempts + ", last " + last.classification());
    }
  }

  @Test
  void anAsyncCallCancelledWithItsAttemptInFlightIsCancelled_andAnnouncedAsEndedOnce() {
    Ends ends = new Ends();
    AssignrResilience resilience = config().listener(ends).build();
    AtomicInteger sent = new AtomicInteger();
    CompletableFuture<FakeResponse> inFlight = new CompletableFuture<>();
    CompletableFuture<FakeResponse> future = resilience.executor().executeAsync(RequestInfo.of("GET", GAMES, true),
        CallOptions.none(), n -> {
          sent.incrementAndGet();
          return inFlight;
        }, FakeResponse.ADAPTER);
    // The attempt it cancels ends with CANCELLED; that must not complete the call before the
    // caller's cancellation does (it once did: cancel returned false, join threw InterruptedIOException).
    assertTrue(future.cancel(true), "the caller's cancel wins");
    assertTrue(future.isCancelled());
    assertTrue(inFlight.isCancelled());
    assertEquals(1, sent.get());
    assertEquals(List.of("CANCELLED after 1, last CANCELLED"), ends.ends);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aCallWhoseDeadlinePassesWhileItWaitsForATokenEndsTypedAsTokenUnavailable(Mode mode) throws Exception {
    VirtualTime manual = VirtualTime.manual();
    Ends ends = new Ends();
    TestAuthorizer credentials = new TestAuthorizer(manual);
    AssignrResilience resilience = config().timeSource(manual).listener(ends).credentials(credentials).build();
    Script script = new Script(manual, FakeResponse.of(200));
    CompletableFuture<Throwable> thrown = CompletableFuture.supplyAsync(() -> {
      try {
        call(resilience, mode, "GET", script, CallOptions.none().withTimeout(Duration.ofSeconds(5)));
        return null;
      } catch (Throwable t) {
        return t;
      }
    });
    if (mode == Mode.SYNC) assertTrue(manual.awaitSleepers(1, Duration.ofSeconds(10)));
    else assertTrue(manual.awaitScheduled(1, Duration.ofSeconds(10)));
    manual.advance(Duration.ofSeconds(5));
    Throwable t = thrown.get(10, TimeUnit.SECONDS);
    TokenUnavailableException e = assertInstanceOf(TokenUnavailableException.class,
        t instanceof ExecutionException ? t.getCause() : t);
    assertEquals(StopReason.DEADLINE_EXCEEDED, e.stopReason());
    assertEquals(Classification.TOKEN_UNAVAILABLE, e.classification());
    assertEquals(0, e.status(), "Assignr was never asked");
    assertEquals(List.of(), script.arrivals);
    assertEquals(List.of("DEADLINE_EXCEEDED after 0, last TOKEN_UNAVAILABLE"), ends.ends);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void eachKindOfTokenFailureHasItsOwnTypeAndNeverPretendsToBeAssignrs401(Mode mode) throws Exception {
    record Row(AuthorizationFailure.Kind kind, String error, Class<? extends TokenFailureException> type,
        Classification classification) {}
    List<Row> table = List.of(
        new Row(AuthorizationFailure.Kind.UNAVAILABLE, null, TokenUnavailableException.class, Classification.TOKEN_UNAVAILABLE),
        new Row(AuthorizationFailure.Kind.REFUSED, "invalid_client", CredentialsRefusedException.class, Classification.CREDENTIALS_REFUSED),
        new Row(AuthorizationFailure.Kind.INVALID, null, TokenInvalidException.class, Classification.TOKEN_INVALID));
    for (Row row : table) {
      VirtualTime time = VirtualTime.autoAdvancing();
      Ends ends = new Ends();
      TestAuthorizer credentials = new TestAuthorizer(time);
      credentials.answer.completeExceptionally(new AuthorizationFailure(row.kind(), row.error(), false,
          "the token endpoint said so", null));
      AssignrResilience resilience = config().timeSource(time).listener(ends).credentials(credentials).build();
      Script script = new Script(time, FakeResponse.of(200));
      Throwable t = assertThrows(Throwable.class, () -> call(resilience, mode, "GET", script, CallOptions.none()));
      TokenFailureException e = assertInstanceOf(row.type(), t instanceof ExecutionException ? t.getCause() : t);
      assertEquals(row.classification(), e.classification(), row.toString());
      assertEquals(StopReason.NOT_RETRYABLE, e.stopReason());
      assertEquals(0, e.status());
      assertEquals(row.error(), e.error());
      assertTrue(e.getMessage().contains("the token endpoint said so"), e.getMessage());
      assertEquals(List.of(), script.arrivals, "nothing is sent without a token");
      assertEquals(List.of("NOT_RETRYABLE after 0, last " + row.classification()), ends.ends);
    }
  }

  @Test
  void anAsyncCallCancelledWhileItWaitsForATokenSendsNothingWhenTheTokenComes() {
    VirtualTime manual = VirtualTime.manual(); // still: the call's own timer must not fire first
    Ends ends = new Ends();
    TestAuthorizer credentials = new TestAuthorizer(manual);
    AssignrResilience resilience = config().timeSource(manual).listener(ends).credentials(credentials).build();
    AtomicInteger sent = new AtomicInteger();
    CompletableFuture<FakeResponse> future = resilience.executor().executeAsync(RequestInfo.of("GET", GAMES, true),
        CallOptions.none(), n -> {
          sent.incrementAndGet();
          return CompletableFuture.completedFuture(FakeResponse.of(200));
        }, FakeResponse.ADAPTER);
    assertTrue(future.cancel(true));
    credentials.answer.complete("Bearer t1");
    assertEquals(0, sent.get(), "cancelled before it was sent: it is never sent");
    assertEquals(List.of("CANCELLED after 0, last CANCELLED"), ends.ends);
  }

  @Test
  void anAsyncAttemptThatThrowsSynchronouslyIsTreatedAsAFailedFuture() throws Exception {
    AssignrResilience resilience = config().build();
    AtomicInteger attempts = new AtomicInteger();
    FakeResponse response = resilience.executor().executeAsync(RequestInfo.of("GET", GAMES, true), CallOptions.none(),
        n -> {
          if (attempts.incrementAndGet() == 1) throw new java.io.UncheckedIOException(new IOException("connection reset"));
          return CompletableFuture.completedFuture(FakeResponse.of(200));
        }, FakeResponse.ADAPTER).get(10, TimeUnit.SECONDS);
    assertEquals(200, response.status);
    assertEquals(2, attempts.get());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aRuntimeExceptionIsAProgrammingErrorNeverRetriedAndRethrownAsItIs(Mode mode) {
    AssignrResilience resilience = config().build();
    AtomicInteger attempts = new AtomicInteger();
    IllegalStateException bug = new IllegalStateException("client closed");
    RequestInfo request = RequestInfo.of("GET", GAMES, true);
    Throwable thrown;
    if (mode == Mode.SYNC) {
      thrown = assertThrows(IllegalStateException.class, () -> resilience.executor().execute(request, CallOptions.none(),
          n -> {
            attempts.incrementAndGet();
            throw bug;
          }, FakeResponse.ADAPTER));
    } else {
      ExecutionException e = assertThrows(ExecutionException.class, () -> resilience.executor().executeAsync(request,
          CallOptions.none(), n -> {
            attempts.incrementAndGet();
            throw bug;
          }, FakeResponse.ADAPTER).get(10, TimeUnit.SECONDS));
      thrown = e.getCause();
    }
    assertSame(bug, thrown);
    assertEquals(1, attempts.get());
  }

  /**
   * Eight callers, one 429: every caller waits for the reset (nothing reaches the server while the
   * gate is closed) and they come back spread out, not in one burst.
   */
  @Test
  void eightCallersAndOne429ShareOneGateWait() throws Exception {
    VirtualTime manual = VirtualTime.manual();
    AssignrResilience resilience = config().timeSource(manual).build();
    RateLimitGate gate = resilience.gateFor(RequestInfo.of("GET", GAMES, true), "Bearer t");
    List<Duration> arrivals = Collections.synchronizedList(new ArrayList<>());
    AtomicBoolean first = new AtomicBoolean(true);
    RetryExecutor.Attempt<FakeResponse> server = n -> {
      arrivals.add(manual.elapsed());
      return first.getAndSet(false)
          ? FakeResponse.of(429, "X-Ratelimit-Reset-Seconds-Remaining", "10", "X-Ratelimit-Remaining", "0")
          : FakeResponse.of(200, "X-Ratelimit-Reset-Seconds-Remaining", "50", "X-Ratelimit-Remaining", "150");
    };
    List<CompletableFuture<FakeResponse>> calls = new ArrayList<>();
    calls.add(CompletableFuture.supplyAsync(() -> execute(resilience, gate, server)));
    assertTrue(manual.awaitSleepers(1, Duration.ofSeconds(10)), "the refused caller waits for the reset");
    for (int i = 0; i < 7; i++) calls.add(CompletableFuture.supplyAsync(() -> execute(resilience, gate, server)));
    assertTrue(manual.awaitSleepers(8, Duration.ofSeconds(10)), "the other seven wait in the gate");
    assertEquals(1, arrivals.size(), "nothing is sent while the gate is closed");

    for (int step = 0; step < 1300 && !calls.stream().allMatch(CompletableFuture::isDone); step++) {
      manual.advance(Duration.ofMillis(10));
      awaitQuiet(manual, calls);
    }
    for (CompletableFuture<FakeResponse> c : calls) assertEquals(200, c.get(10, TimeUnit.SECONDS).status);
    assertEquals(9, arrivals.size());
    List<Duration> after = arrivals.subList(1, 9).stream().sorted().toList();
    assertTrue(after.get(0).compareTo(Duration.ofSeconds(11)) >= 0, "none before reset + margin: " + after);
    assertEquals(8, after.stream().distinct().count(), "released one by one, not in a burst: " + after);
    List<Duration> gateWaits = manual.sleeps().subList(1, 8).stream().sorted().toList();
    for (int k = 0; k < 7; k++) {
      assertEquals(Duration.ofSeconds(11).plusMillis(20L * (k + 1)), gateWaits.get(k), "one release slot per caller");
    }
    assertTrue(after.get(7).minus(after.get(0)).compareTo(Duration.ofMillis(100)) >= 0, "spread out: " + after);
  }

  private static FakeResponse execute(AssignrResilience resilience, RateLimitGate gate, RetryExecutor.Attempt<FakeResponse> server) {
    try {
      return resilience.executor().execute(RequestInfo.of("GET", GAMES, true), CallOptions.none().withCredentials("Bearer t"),
          server, FakeResponse.ADAPTER);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Lets woken threads either finish or go back to sleep before the clock moves again. */
  private static void awaitQuiet(VirtualTime time, List<CompletableFuture<FakeResponse>> calls) throws InterruptedException {
    for (int i = 0; i < 1000; i++) {
      int running = (int) calls.stream().filter(c -> !c.isDone()).count();
      if (time.sleepingThreads() >= running) return;
      time.awaitSleepers(running, Duration.ofMillis(2));
    }
  }
}
