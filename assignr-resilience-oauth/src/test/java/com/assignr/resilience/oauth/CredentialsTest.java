package com.assignr.resilience.oauth;

import com.assignr.resilience.RetryListener;
import com.assignr.resilience.Slf4jRetryListener;
import com.assignr.resilience.InvalidSettingsException;
import com.assignr.resilience.spi.AuthorizationFailure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.assignr.resilience.testkit.VirtualTime;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Credentials on manual virtual time: every instant below is virtual, every wait is a {@link
 * VirtualTime} sleep or scheduled task, and the test moves the clock.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CredentialsTest {
  static final Duration TWO_HOURS = Duration.ofSeconds(7200);
  static final long SECOND = TimeUnit.SECONDS.toNanos(1);

  final VirtualTime time = VirtualTime.manual();
  final List<String> events = new CopyOnWriteArrayList<>();
  final List<Throwable> failures = new CopyOnWriteArrayList<>();
  final RetryListener recorder = new RetryListener() {
    @Override public void onTokenRefreshed(String key, Duration validFor) {
      events.add("refreshed at " + time.elapsed().toMillis() + " ms, valid " + validFor.getSeconds() + " s");
    }
    @Override public void onTokenRefreshFailed(String key, Throwable failure) {
      events.add("failed at " + time.elapsed().toMillis() + " ms");
      failures.add(failure);
    }
  };

  /** Jitter pinned at its minimum: refresh exactly refreshAhead early, backoffs at half. */
  AssignrOAuth.Builder config(TokenSource source) {
    return AssignrOAuth.builder().tokenSource(source).clientId("club-42").timeSource(time).random(() -> 0.0).listener(recorder);
  }

  static Throwable rootCause(Throwable t) {
    return t instanceof ExecutionException ? t.getCause() : t;
  }

  @Test
  void fiveHundredCallersAtExpiryCauseExactlyOneFetchAndAllGetItsToken() throws Exception {
    TestTokenSource source = new TestTokenSource(TestTokenSource.healthy(TWO_HOURS));
    Credentials credentials = config(source).refreshAhead(Duration.ZERO).build(); // no background refresh
    assertEquals("Bearer t1", credentials.authorization(0));
    source.then(TestTokenSource.pending());
    time.advance(TWO_HOURS); // t1 has just expired

    int blocking = 250;
    int async = 250;
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService asyncCallers = Executors.newFixedThreadPool(8);
    List<Thread> threads = new ArrayList<>();
    List<String> blockingResults = new CopyOnWriteArrayList<>();
    List<Throwable> errors = new CopyOnWriteArrayList<>();
    for (int i = 0; i < blocking; i++) {
      Thread t = new Thread(() -> {
        try {
          go.await();
          blockingResults.add(credentials.authorization(TimeUnit.MINUTES.toNanos(1)));
        } catch (Throwable e) {
          errors.add(e);
        }
      });
      t.start();
      threads.add(t);
    }
    List<Future<CompletableFuture<String>>> asyncResults = new ArrayList<>();
    for (int i = 0; i < async; i++) {
      asyncResults.add(asyncCallers.submit(() -> {
        go.await();
        return credentials.authorizationAsync();
      }));
    }
    go.countDown();
    List<CompletableFuture<String>> futures = new ArrayList<>();
    for (Future<CompletableFuture<String>> f : asyncResults) futures.add(f.get(10, TimeUnit.SECONDS));
    assertTrue(time.awaitSleepers(blocking, Duration.ofSeconds(20)), "every blocking caller waits for the flight");

    assertEquals(2, source.count(), "500 callers, one fetch (the first was t1's)");
    assertTrue(futures.stream().noneMatch(CompletableFuture::isDone), "no async caller has a token yet");

    source.last().complete(AccessToken.bearer("t2", TWO_HOURS));
    for (Thread t : threads) t.join(10_000);
    for (CompletableFuture<String> f : futures) assertEquals("Bearer t2", f.get(10, TimeUnit.SECONDS));
    assertEquals(List.of(), errors);
    assertEquals(blocking, blockingResults.size());
    assertTrue(blockingResults.stream().allMatch("Bearer t2"::equals), blockingResults.toString());
    assertEquals(2, source.count());
    assertEquals(List.of("refreshed at 0 ms, valid 7200 s", "refreshed at 7200000 ms, valid 7200 s"), events);
    asyncCallers.shutdownNow();
  }

  @Test
  void withATwoHourTokenAndAHealthySourceNoCallerEverWaits() throws Exception {
    // A healthy endpoint that takes 2 virtual seconds to answer each token request.
    TestTokenSource source = new TestTokenSource(n -> {
      CompletableFuture<AccessToken> answer = new CompletableFuture<>();
      time.schedule(() -> answer.complete(AccessToken.bearer("t" + n, TWO_HOURS)), 2 * SECOND);
      return answer;
    });
    Credentials credentials = config(source).build();
    CompletableFuture<String> firstCall = credentials.authorizationAsync(); // the one unavoidable wait
    time.advance(Duration.ofSeconds(2));
    assertEquals("Bearer t1", firstCall.get(5, TimeUnit.SECONDS));

    List<String> changes = new ArrayList<>(List.of("2 s t1"));
    String last = "Bearer t1";
    int servedDuringARefresh = 0;
    for (int step = 1; step <= 36_000; step++) { // ten virtual hours, a blocking and an async call every second
      time.advance(Duration.ofSeconds(1));
      String blocking = credentials.authorization(0); // a zero deadline: any wait would throw
      CompletableFuture<String> async = credentials.authorizationAsync(0);
      assertTrue(async.isDone(), "async caller at " + time.elapsed());
      assertEquals(blocking, async.get());
      if (!source.last().isDone()) servedDuringARefresh++;
      if (!blocking.equals(last)) changes.add(time.elapsed().getSeconds() + " s " + blocking.substring(7));
      last = blocking;
    }
    // Expiry is counted from the request (0 s), so 7,200 s − 5 min: a refresh starts every 6,900 s,
    // in the background, and its token is in use 2 s later.
    assertEquals(List.of("2 s t1", "6902 s t2", "13802 s t3", "20702 s t4", "27602 s t5", "34502 s t6"), changes);
    assertEquals(10, servedDuringARefresh, "the old token served at +0 s and +1 s of each of the 5 refreshes");
    assertEquals(6, source.count());
    assertEquals(List.of(), time.sleeps(), "nobody slept");
  }

  @Test
  void refreshAheadIsJitteredUpToHalfAgainAndNeverMoreThanHalfTheLifetime() throws Exception {
    Credentials late = config(new TestTokenSource(TestTokenSource.healthy(TWO_HOURS))).random(() -> 1.0).build();
    late.authorization(0);
    assertEquals(List.of(Duration.ofSeconds(7200 - 450)), time.scheduledDelays(), "5 min × 1.5 early");

    VirtualTime other = VirtualTime.manual();
    Credentials shortLived = config(new TestTokenSource(TestTokenSource.healthy(Duration.ofSeconds(60))))
        .timeSource(other).build();
    shortLived.authorization(0);
    assertEquals(List.of(Duration.ofSeconds(30)), other.scheduledDelays(), "a 60 s token is refreshed at 30 s");
  }

  @Test
  void aSourceDownDuringRefreshAheadKeepsTheValidTokenThenFailsClearlyAndNeverLoopsTightly() throws Exception {
    TestTokenSource source = new TestTokenSource(TestTokenSource.healthy(TWO_HOURS));
    Credentials credentials = config(source).build();
    assertEquals("Bearer t1", credentials.authorization(0));
    IOException down = new IOException("connection refused by the token endpoint");
    source.then(TestTokenSource.failing(down));

    for (int s = 1; s < 7200; s++) { // every virtual second until the token's last
      time.advance(Duration.ofSeconds(1));
      assertEquals("Bearer t1", credentials.authorization(0), "at " + s + " s");
    }
    // From 6,900 s the background retries back off 0.5, 1, 2, 4, 8, 16 s, then 30 s (the 1 min cap,
    // jittered to half): 6900, 6900.5, 6901.5, 6903.5, 6907.5, 6915.5, 6931.5, then every 30 s
    // up to 7171.5: 15 failed fetches before the token expires, none seen by a caller.
    assertEquals(1 + 15, source.count());
    assertEquals(15, failures.size());
    assertTrue(failures.stream().allMatch(f -> f == down), "each event carries the source's failure");
    assertEquals("failed at 6900000 ms", events.get(1));
    assertEquals("failed at 7171500 ms", events.get(15));

    time.advance(Duration.ofSeconds(1)); // 7,200 s: expired; the next fetch may start at 7,201.5 s
    AuthorizationFailure refused = assertThrows(AuthorizationFailure.class, () -> credentials.authorization(0));
    assertSame(down, refused.getCause());
    assertTrue(refused.getMessage().contains(credentials.quotaKey()), refused.getMessage());
    assertEquals(AuthorizationFailure.Kind.UNAVAILABLE, refused.kind());
    assertTrue(refused.deadlineReached(), "the caller's deadline, not the source, stopped it");
    assertTrue(refused.getMessage().contains("the next token request may start only in 1500 ms, after the caller's"
        + " deadline of 0 ms"), refused.getMessage());
    CompletableFuture<String> patient = credentials.authorizationAsync(); // no deadline: joins the next flight
    assertEquals(16, source.count());
    time.advance(Duration.ofMillis(1500));
    assertEquals(17, source.count());
    ExecutionException e = assertThrows(ExecutionException.class, () -> patient.get(5, TimeUnit.SECONDS));
    assertInstanceOf(AuthorizationFailure.class, e.getCause());
    assertSame(down, e.getCause().getCause());
    assertTrue(e.getCause().getMessage().startsWith("No access token for assignr-client#"), e.getCause().getMessage());

    // Three more virtual hours of callers every second (one waiting, one with no time to wait):
    // the endpoint is asked once per 30 s backoff, 360 times, not 21,600.
    int before = source.count();
    List<CompletableFuture<String>> waiting = new ArrayList<>();
    for (int s = 0; s < 3 * 3600; s++) {
      waiting.add(credentials.authorizationAsync());
      assertThrows(AuthorizationFailure.class, () -> credentials.authorization(0));
      time.advance(Duration.ofSeconds(1));
    }
    int during = source.count() - before;
    assertTrue(during >= 359 && during <= 361, "fetches in 3 h: " + during);
    assertTrue(waiting.stream().limit(waiting.size() - 30).allMatch(CompletableFuture::isCompletedExceptionally));

    source.then(TestTokenSource.healthy(TWO_HOURS)); // the endpoint recovers
    CompletableFuture<String> recovered = credentials.authorizationAsync();
    time.advance(Duration.ofSeconds(30));
    assertTrue(recovered.get(5, TimeUnit.SECONDS).startsWith("Bearer t"), "a token within one backoff step");
    assertEquals(recovered.get(), credentials.authorization(0));
  }

  @Test
  void invalidatingTheCurrentTokenCausesOneRefreshAndALate401ForAnOldTokenNone() throws Exception {
    TestTokenSource source = new TestTokenSource(TestTokenSource.healthy(TWO_HOURS));
    Credentials credentials = config(source).build();
    String first = credentials.authorization(0);
    assertEquals("Bearer t1", first);
    source.then(TestTokenSource.pending());

    assertTrue(credentials.invalidate(first));
    assertEquals(1, source.count(), "invalidating fetches nothing by itself");
    List<CompletableFuture<String>> callers = new ArrayList<>();
    for (int i = 0; i < 50; i++) callers.add(credentials.authorizationAsync());
    assertEquals(2, source.count(), "50 callers after a 401, one fetch");
    assertFalse(credentials.invalidate(first), "already gone");
    source.last().complete(AccessToken.bearer("t2", TWO_HOURS));
    for (CompletableFuture<String> c : callers) assertEquals("Bearer t2", c.get(5, TimeUnit.SECONDS));

    time.advance(Duration.ofSeconds(5));
    assertFalse(credentials.invalidate("Bearer t1"), "a late 401 for the old token");
    assertFalse(credentials.invalidate(null));
    assertFalse(credentials.invalidate("Bearer something-else"));
    assertFalse(credentials.invalidate("t2"), "the Authorization value, not the bare token");
    assertEquals("Bearer t2", credentials.authorization(0), "the fresh token survived");
    assertEquals(2, source.count());
  }

  @Test
  void aFlightOutlivesACallerWhoseDeadlineEndsOrWhoCancels() throws Exception {
    TestTokenSource source = new TestTokenSource(TestTokenSource.pending());
    Credentials credentials = config(source).build();
    AtomicReference<Throwable> timedOut = new AtomicReference<>();
    Thread impatient = new Thread(() -> {
      try {
        credentials.authorization(TimeUnit.SECONDS.toNanos(5));
      } catch (Throwable e) {
        timedOut.set(e);
      }
    });
    impatient.start();
    assertTrue(time.awaitSleepers(1, Duration.ofSeconds(10)));
    CompletableFuture<String> asyncImpatient = credentials.authorizationAsync(TimeUnit.SECONDS.toNanos(5));
    CompletableFuture<String> cancelled = credentials.authorizationAsync();
    CompletableFuture<String> patient = credentials.authorizationAsync();
    AtomicBoolean cancel = new AtomicBoolean();
    AtomicReference<Throwable> cancelledBlocking = new AtomicReference<>();
    Thread canceller = new Thread(() -> {
      try {
        credentials.authorization(Long.MAX_VALUE, cancel::get);
      } catch (Throwable e) {
        cancelledBlocking.set(e);
      }
    });
    canceller.start();
    assertTrue(time.awaitSleepers(2, Duration.ofSeconds(10)));

    time.advance(Duration.ofSeconds(5));
    impatient.join(10_000);
    // A deadline is not an interruption: the caller is told no token came, typed, never a bare
    // InterruptedIOException.
    AuthorizationFailure late = assertInstanceOf(AuthorizationFailure.class, timedOut.get());
    assertEquals(AuthorizationFailure.Kind.UNAVAILABLE, late.kind());
    assertTrue(late.deadlineReached());
    assertEquals("No access token for " + credentials.quotaKey() + " within the caller's 5000 ms: the token"
        + " request has not answered yet", late.getMessage());
    ExecutionException e = assertThrows(ExecutionException.class, () -> asyncImpatient.get(5, TimeUnit.SECONDS));
    assertInstanceOf(AuthorizationFailure.class, e.getCause());
    cancel.set(true);
    canceller.join(10_000);
    assertInstanceOf(InterruptedIOException.class, cancelledBlocking.get());
    assertTrue(cancelledBlocking.get().getMessage().startsWith("cancelled"), cancelledBlocking.get().getMessage());
    cancelled.cancel(true);

    assertEquals(1, source.count());
    assertFalse(source.last().isCancelled(), "the flight goes on for the others");
    source.last().complete(AccessToken.bearer("t1", TWO_HOURS));
    assertEquals("Bearer t1", patient.get(5, TimeUnit.SECONDS));
    assertEquals("Bearer t1", credentials.authorization(0));
  }

  @Test
  void anInterruptedWaitRestoresTheFlag() throws Exception {
    Credentials credentials = config(new TestTokenSource(TestTokenSource.pending())).build();
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    AtomicBoolean flag = new AtomicBoolean();
    Thread waiter = new Thread(() -> {
      try {
        credentials.authorization(Long.MAX_VALUE);
      } catch (Throwable e) {
        thrown.set(e);
        flag.set(Thread.currentThread().isInterrupted());
      }
    });
    waiter.start();
    assertTrue(time.awaitSleepers(1, Duration.ofSeconds(10)));
    waiter.interrupt();
    waiter.join(10_000);
    assertInstanceOf(InterruptedIOException.class, thrown.get());
    assertTrue(flag.get(), "interrupt flag restored");
  }

  @Test
  void aSourceThatNeverAnswersTimesOutIsCancelledAndBackedOff() throws Exception {
    TestTokenSource source = new TestTokenSource(TestTokenSource.pending());
    Credentials credentials = config(source).fetchTimeout(Duration.ofSeconds(10)).build();
    CompletableFuture<String> caller = credentials.authorizationAsync();
    time.advance(Duration.ofSeconds(10));
    ExecutionException e = assertThrows(ExecutionException.class, () -> caller.get(5, TimeUnit.SECONDS));
    assertInstanceOf(TimeoutException.class, e.getCause().getCause());
    assertTrue(e.getCause().getMessage().contains("did not answer within 10000 ms"), e.getCause().getMessage());
    assertTrue(source.last().isCancelled(), "the hung fetch is cancelled");
    source.last().complete(AccessToken.bearer("late", TWO_HOURS)); // too late, ignored
    source.then(TestTokenSource.healthy(TWO_HOURS));
    CompletableFuture<String> next = credentials.authorizationAsync();
    assertFalse(next.isDone(), "waits out the 0.5 s backoff");
    time.advance(Duration.ofMillis(500));
    assertEquals("Bearer t2", next.get(5, TimeUnit.SECONDS));
  }

  @Test
  void lifetimesNotStatedOrAbsurdGetSafeValues() throws Exception {
    Credentials unstated = config(TokenSource.fixed(AccessToken.bearer("fixed"))).build();
    assertEquals("Bearer fixed", unstated.authorization(0));
    assertEquals(List.of("refreshed at 0 ms, valid 3600 s"), events);
    assertEquals(List.of(Duration.ofSeconds(3600 - 300)), time.scheduledDelays(), "default 1 h, refreshed 5 min early");

    events.clear();
    VirtualTime other = VirtualTime.manual();
    TestTokenSource absurd = new TestTokenSource(n -> CompletableFuture.completedFuture(
        AccessToken.bearer("t" + n, n == 1 ? Duration.ofDays(3650) : Duration.ofSeconds(Long.MAX_VALUE))));
    Credentials clamped = config(absurd).timeSource(other).build();
    assertEquals("Bearer t1", clamped.authorization(0));
    assertEquals(List.of(Duration.ofSeconds(86_400 - 300)), other.scheduledDelays(), "ten years clamped to a day");
    other.advance(Duration.ofDays(1));
    assertEquals("Bearer t2", clamped.authorization(0), "refreshed within the day; no overflow at Long.MAX_VALUE s");
    assertEquals("refreshed at 0 ms, valid 86400 s", events.get(0));
    assertEquals(2, absurd.count());
  }

  @Test
  void aTokenTooShortLivedToUseIsRefusedWithoutATightLoop() throws Exception {
    TestTokenSource source = new TestTokenSource(TestTokenSource.healthy(Duration.ofSeconds(5)));
    Credentials credentials = config(source).build();
    AuthorizationFailure e = assertThrows(AuthorizationFailure.class, () -> credentials.authorization(0));
    assertInstanceOf(TokenEndpointException.class, e.getCause());
    assertTrue(e.getMessage().contains("valid for only 5000 ms, less than the 30000 ms a call needs (minLifetime)"), e.getMessage());

    for (int s = 0; s < 3 * 3600; s++) { // three virtual hours of eager callers
      credentials.authorizationAsync();
      time.advance(Duration.ofSeconds(1));
    }
    // One fetch per backoff step: 0, 0.5, 1.5, 3.5, 7.5, 15.5, 31.5 s, then every 30 s: 365.
    assertTrue(source.count() <= 7 + 10_800 / 30, "fetches in 3 h: " + source.count());
    assertTrue(source.count() >= 300, "it keeps trying while callers want a token: " + source.count());
    assertEquals(source.count(), failures.size());
  }

  @Test
  void aSourceThatThrowsOrAnswersNothingIsAFailureNotACrash() throws Exception {
    TestTokenSource throwing = new TestTokenSource(n -> CompletableFuture.completedFuture(
        AccessToken.bearer("t", Duration.ZERO)));
    TokenSource synchronousThrow = throwing::fetchToken;
    AuthorizationFailure e = assertThrows(AuthorizationFailure.class,
        () -> config(synchronousThrow).build().authorization(0));
    assertInstanceOf(IllegalArgumentException.class, e.getCause());
    assertTrue(e.getMessage().contains("the token source failed with java.lang.IllegalArgumentException"), e.getMessage());

    e = assertThrows(AuthorizationFailure.class, () -> config(() -> null).build().authorization(0));
    assertTrue(e.getMessage().contains("the token source returned no future"), e.getMessage());
    e = assertThrows(AuthorizationFailure.class,
        () -> config(() -> CompletableFuture.completedFuture(null)).build().authorization(0));
    assertTrue(e.getMessage().contains("the token source answered no token"), e.getMessage());
    RetryListener throwingListener = new RetryListener() {
      @Override public void onTokenRefreshed(String key, Duration validFor) {
        throw new IllegalStateException("a bad listener");
      }
    };
    Credentials withBadListener = config(TokenSource.fixed(AccessToken.bearer("x", TWO_HOURS)))
        .listener(throwingListener).build();
    assertEquals("Bearer x", withBadListener.authorization(0), "a throwing listener does not strand callers");
  }

  @Test
  void theQuotaKeyIsAStableHashOfTheClientIdAndNothingPrintsATokenOrTheId() throws Exception {
    Credentials a = config(TokenSource.fixed(AccessToken.bearer("secret-token-1", TWO_HOURS)))
        .clientId("my-client-id").build();
    Credentials b = config(TokenSource.fixed(AccessToken.bearer("secret-token-2", TWO_HOURS)))
        .clientId("my-client-id").build();
    Credentials c = config(TokenSource.fixed(AccessToken.bearer("x", TWO_HOURS))).clientId("other").build();
    assertEquals(a.quotaKey(), b.quotaKey(), "instances and token rotations agree");
    assertNotEquals(a.quotaKey(), c.quotaKey());
    assertTrue(a.quotaKey().matches("assignr-client#[0-9a-f]{12}"), a.quotaKey());
    a.authorization(0);
    assertEquals("Credentials{" + a.quotaKey() + ", token valid for 7200 s more}", a.toString());
    assertFalse(a.toString().contains("secret-token") || a.toString().contains("my-client-id"));
    assertEquals("Credentials{" + b.quotaKey() + ", no valid token}", b.toString());
  }

  @Test
  void everyBadSettingIsNamedWithItsValue_inOneRound() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AssignrOAuth.builder()
        .refreshAhead(Duration.ofSeconds(-1)).defaultLifetime(Duration.ofMillis(500))
        .initialBackoff(Duration.ofMinutes(5)).maxBackoff(Duration.ofMinutes(2)).fetchTimeout(Duration.ZERO)
        .minLifetime(Duration.ofMillis(10)).requestTimeout(Duration.ofMinutes(11))
        .timeSource(null).random(null).listener(null).build());
    String m = e.getMessage();
    for (String expected : List.of("Invalid AssignrOAuth: ",
        "clientId must be set but was null", "clientSecret must be set but was null",
        "refreshAhead must be between PT0S and PT12H but was PT-1S",
        "minLifetime must be between PT1S and PT1H but was PT0.01S",
        "defaultLifetime must be between PT1S and PT24H but was PT0.5S",
        "initialBackoff must not exceed maxBackoff PT2M but was PT5M",
        "fetchTimeout must be between PT0.001S and PT10M but was PT0S",
        "requestTimeout must be between PT0.001S and PT10M but was PT11M",
        "timeSource must not be null", "random must not be null", "listener must not be null")) {
      assertTrue(m.contains(expected), "missing \"" + expected + "\" in " + m);
    }
    e = assertThrows(IllegalArgumentException.class,
        () -> AssignrOAuth.builder().tokenSource(TokenSource.fixed(AccessToken.bearer("x"))).clientId("  ").build());
    assertTrue(e.getMessage().contains("clientId must be set") && e.getMessage().contains("but was (blank)"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> AssignrOAuth.builder()
        .tokenSource(TokenSource.fixed(AccessToken.bearer("x"))).clientId("c").clientSecret("s").scope("read").build());
    assertTrue(e.getMessage().contains("clientSecret must not be set with a tokenSource"), e.getMessage());
    assertTrue(e.getMessage().contains("tokenSource"), e.getMessage());
    assertFalse(e.getMessage().contains("=s") || e.getMessage().contains(" s "), "never the secret: " + e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> AssignrOAuth.builder().clientId("c").clientSecret("s")
        .minLifetime(Duration.ofMinutes(2)).defaultLifetime(Duration.ofMinutes(1)).build());
    assertTrue(e.getMessage().contains("defaultLifetime must be between PT2M and PT24H but was PT1M"), e.getMessage());
  }

  @Test
  void theMinimumLifetimeIsASetting() throws Exception {
    TestTokenSource source = new TestTokenSource(TestTokenSource.healthy(Duration.ofSeconds(5)));
    assertThrows(AuthorizationFailure.class, () -> config(source).build().authorization(0), "30 s by default");
    Credentials lowered = config(source).minLifetime(Duration.ofSeconds(5)).refreshAhead(Duration.ZERO).build();
    assertEquals("Bearer t2", lowered.authorization(0), "an endpoint that issues 5 s tokens on purpose");
  }

  @Test
  void addedListenersComeOnTopOfTheOnesThere_asOnAssignrResilience() throws Exception {
    com.assignr.resilience.testing.CapturingLogger log = new com.assignr.resilience.testing.CapturingLogger();
    List<String> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
    RetryListener metrics = new RetryListener() {
      @Override public void onTokenRefreshed(String key, Duration validFor) { heard.add("refreshed " + validFor); }
    };
    Credentials credentials = AssignrOAuth.builder().tokenSource(new TestTokenSource(TestTokenSource.healthy(TWO_HOURS)))
        .clientId("club-42").timeSource(time)
        .listener(Slf4jRetryListener.create(log)) // stands for the default SLF4J listener
        .addListener(metrics)
        .build();
    assertEquals("Bearer t1", credentials.authorizationAsync().get(5, TimeUnit.SECONDS));
    assertEquals(List.of("refreshed " + TWO_HOURS), heard);
    assertTrue(log.lines.stream().anyMatch(l -> l.startsWith("DEBUG new access token for " + credentials.quotaKey())),
        "the logging listener still hears it: " + log.lines);

    InvalidSettingsException e = assertThrows(InvalidSettingsException.class,
        () -> AssignrOAuth.builder().tokenSource(() -> null).clientId("club-42").addListener(null).build());
    assertEquals("listener", e.problems().get(0).setting());
  }
}
