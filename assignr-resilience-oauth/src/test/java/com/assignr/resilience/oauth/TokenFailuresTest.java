package com.assignr.resilience.oauth;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.assignr.resilience.AssignrResilience;
import com.assignr.resilience.RetryListener;
import com.assignr.resilience.spi.AuthorizationFailure;
import com.assignr.resilience.testkit.VirtualTime;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What each kind of token failure looks like to the callers, timed on virtual time and counted at
 * the token endpoint: a refusal of the credentials, an outage, callers that give up during a
 * backoff. The wrong-credentials case runs against a real token endpoint (WireMock, random
 * loopback port); the outage against a scripted source, so that every instant is exact.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TokenFailuresTest {
  static final String PATH = "/oauth/token";
  static final long SECOND = TimeUnit.SECONDS.toNanos(1);
  static WireMockServer server;

  final VirtualTime time = VirtualTime.manual();

  @BeforeAll
  static void startTokenEndpoint() {
    server = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());
    server.start();
  }

  @AfterAll
  static void stop() {
    server.stop();
  }

  @BeforeEach
  void reset() {
    server.resetAll();
  }

  static void answer(int status, String body) {
    server.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(status)
        .withHeader("Content-Type", "application/json").withBody(body)));
  }

  static int requests() {
    return server.findAll(postRequestedFor(urlEqualTo(PATH))).size();
  }

  Credentials onTheEndpoint() {
    return AssignrOAuth.builder().clientId("club-42").clientSecret("not-the-secret")
        .tokenUri(URI.create("http://127.0.0.1:" + server.port() + PATH)).allowInsecureLoopback(true)
        .timeSource(time).random(() -> 0.0).build();
  }

  /** What a caller got, and after how much virtual time. */
  record Result(Throwable failure, long afterNanos) {}

  Result blockingCaller(Credentials credentials, long maxWait) throws Exception {
    long start = time.nanoTime();
    CompletableFuture<Throwable> thrown = CompletableFuture.supplyAsync(() -> {
      try {
        credentials.authorization(maxWait);
        return null;
      } catch (Throwable t) {
        return t;
      }
    });
    Throwable t = thrown.get(20, TimeUnit.SECONDS);
    return new Result(t, time.nanoTime() - start);
  }

  Result asyncCaller(Credentials credentials, long maxWait) throws Exception {
    long start = time.nanoTime();
    CompletableFuture<String> f = credentials.authorizationAsync(maxWait);
    Throwable t = null;
    try {
      f.get(20, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      t = e.getCause();
    }
    return new Result(t, time.nanoTime() - start);
  }

  @Test
  void wrongCredentials_everyOneOfTwentyCallersOverTenSecondsIsToldAtOnce_withOneTokenRequest() throws Exception {
    answer(400, "{\"error\":\"invalid_client\",\"error_description\":\"Client authentication failed\"}");
    Credentials credentials = onTheEndpoint();
    List<Result> results = new ArrayList<>();
    for (int s = 0; s < 10; s++) { // two callers a second, each ready to wait 5 s
      results.add(blockingCaller(credentials, 5 * SECOND));
      results.add(asyncCaller(credentials, 5 * SECOND));
      time.advance(Duration.ofSeconds(1));
    }
    assertEquals(20, results.size());
    for (Result r : results) {
      AuthorizationFailure f = assertInstanceOf(AuthorizationFailure.class, r.failure());
      assertEquals(AuthorizationFailure.Kind.REFUSED, f.kind());
      assertEquals("invalid_client", f.error());
      assertTrue(f.getMessage().contains("HTTP 400 (invalid_client)"), f.getMessage());
      assertTrue(r.afterNanos() < SECOND, "told within 1 s, not after its 5 s: " + r.afterNanos());
    }
    assertEquals(1, requests(), "a refusal is not retried on a backoff (at most 2 allowed)");

    // The hold lasts maxBackoff (1 min); then one caller's request checks again: a rotated secret is
    // picked up.
    time.advance(Duration.ofSeconds(49)); // 59 s after the refusal
    server.resetAll();
    answer(200, "{\"access_token\":\"fixed\",\"token_type\":\"Bearer\",\"expires_in\":7200}");
    assertInstanceOf(AuthorizationFailure.class, asyncCaller(credentials, 5 * SECOND).failure(), "still held");
    assertEquals(0, requests());
    time.advance(Duration.ofSeconds(1));
    assertEquals("Bearer fixed", credentials.authorizationAsync(5 * SECOND).get(20, TimeUnit.SECONDS));
    assertEquals(1, requests());
  }

  @Test
  void aBackedOffRequestIsNotSentOnceEveryCallerThatWantedItHasGivenUp() throws Exception {
    TestTokenSource source = new TestTokenSource(TestTokenSource.failing(
        new TokenEndpointException("HTTP 503", 503, null)));
    Credentials credentials = AssignrOAuth.builder().tokenSource(source).clientId("club-42").timeSource(time)
        .random(() -> 0.0).initialBackoff(Duration.ofSeconds(2)).build();
    Result first = asyncCaller(credentials, 10 * SECOND);
    assertEquals(AuthorizationFailure.Kind.UNAVAILABLE, ((AuthorizationFailure) first.failure()).kind());
    assertEquals(1, source.count()); // the next may start in 1 s (2 s jittered down to half)

    CompletableFuture<String> cancelled = credentials.authorizationAsync(10 * SECOND);
    Result tooLate = blockingCaller(credentials, SECOND / 2);
    AuthorizationFailure refused = assertInstanceOf(AuthorizationFailure.class, tooLate.failure());
    assertEquals(0, tooLate.afterNanos(), "refused at once: its deadline falls before the next request");
    assertTrue(refused.deadlineReached());
    assertSame(source.last().handle((t, e) -> e).join(), refused.getCause(), "with the last error");
    assertTrue(cancelled.cancel(true));

    time.advance(Duration.ofSeconds(5));
    assertEquals(1, source.count(), "nobody waits any more: no request for nobody");

    // Someone who wants a token now gets a request at once (the backoff is over).
    source.then(TestTokenSource.healthy(Duration.ofHours(2)));
    assertEquals("Bearer t2", credentials.authorizationAsync(SECOND).get(5, TimeUnit.SECONDS));
  }

  @Test
  void anOutageOf45sWithAValidTokenFor30s_servesThenFailsTypedWithinTheTimeout_andRecoversWithinTheCap()
      throws Exception {
    // The token (60 s) is refreshed ahead at 30 s (half its lifetime); the endpoint is down from
    // 30 s to 75 s. Callers come every second, each ready to wait 5 s.
    boolean[] down = {false};
    TestTokenSource source = new TestTokenSource(n -> down[0]
        ? CompletableFuture.failedFuture(new TokenEndpointException("HTTP 503", 503, null))
        : CompletableFuture.completedFuture(AccessToken.bearer("t" + n, Duration.ofSeconds(60))));
    Credentials credentials = AssignrOAuth.builder().tokenSource(source).clientId("club-42").timeSource(time)
        .random(() -> 0.0).build();
    assertEquals("Bearer t1", credentials.authorization(0));
    time.advance(Duration.ofSeconds(29));
    down[0] = true;
    int before = source.count();
    List<String> timeline = new ArrayList<>();
    int firstRecovered = -1;
    for (int s = 30; s < 200 && firstRecovered < 0; s++) {
      time.advance(Duration.ofSeconds(1));
      if (s == 75) down[0] = false;
      Result r = asyncCallerWhileTimeRuns(credentials, 5 * SECOND);
      if (r.failure() == null) {
        if (s >= 60) firstRecovered = s;
        continue;
      }
      AuthorizationFailure f = assertInstanceOf(AuthorizationFailure.class, r.failure(), "at " + s + " s");
      assertEquals(AuthorizationFailure.Kind.UNAVAILABLE, f.kind(), "at " + s + " s");
      assertTrue(r.afterNanos() <= 5 * SECOND, "within its timeout at " + s + " s");
      assertTrue(s >= 60, "the token was valid until 60 s, yet a caller failed at " + s + " s");
      timeline.add(s + "s");
    }
    int inOutage = source.count() - before - (firstRecovered < 0 ? 0 : 1);
    assertTrue(inOutage <= 10, "token requests in the outage: " + inOutage);
    assertTrue(firstRecovered > 0 && firstRecovered <= 75 + 60, "recovered at " + firstRecovered + " s");
    assertTrue(timeline.contains("60s") && timeline.contains("75s"), timeline.toString());
  }

  /** An async caller whose wait is played out: the clock is moved up to its deadline if it must wait. */
  Result asyncCallerWhileTimeRuns(Credentials credentials, long maxWait) throws Exception {
    long start = time.nanoTime();
    CompletableFuture<String> f = credentials.authorizationAsync(maxWait);
    for (int i = 0; i < 10 && !f.isDone(); i++) time.advance(Duration.ofMillis(500));
    Throwable t = null;
    try {
      f.get(20, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      t = e.getCause();
    }
    return new Result(t, time.nanoTime() - start);
  }

  @Test
  void oneIdentity_theClientIdNamesTheQuota_andTheConfigurationsListenersHearTokenEvents() throws Exception {
    List<String> heard = new CopyOnWriteArrayList<>();
    RetryListener metrics = new RetryListener() {
      @Override public void onTokenRefreshed(String key, Duration validFor) { heard.add("refreshed " + key); }
    };
    Credentials credentials = AssignrOAuth.builder().tokenSource(new TestTokenSource(
        TestTokenSource.healthy(Duration.ofHours(2)))).clientId("club-42").timeSource(time).build();
    AssignrResilience resilience = AssignrResilience.builder().timeSource(time).listener(metrics)
        .credentials(credentials).build();
    AssignrResilience derived = resilience.toBuilder().throwOnFailure(true).build(); // same listener again
    assertSame(credentials, derived.credentials());
    assertEquals(com.assignr.resilience.QuotaKey.fixed(credentials.quotaKey()).toString(),
        resilience.quotaKey().toString(), "the quota key derives from the client id, given once");

    assertEquals("Bearer t1", credentials.authorization(0));
    assertEquals(List.of("refreshed " + credentials.quotaKey()), heard, "heard once, not once per configuration");
  }
}
