package com.assignr.resilience.okhttp;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.assignr.resilience.AssignrResilience;
import com.assignr.resilience.oauth.AssignrOAuth;
import com.assignr.resilience.oauth.Credentials;
import com.assignr.resilience.oauth.TokenTransport;
import com.assignr.resilience.spi.AuthorizationFailure;
import com.assignr.resilience.InvalidSettingsException;
import com.assignr.resilience.RetryListener;
import com.assignr.resilience.Slf4jRetryListener;
import com.assignr.resilience.oauth.TokenEndpointException;
import com.assignr.resilience.testing.CapturingLogger;
import com.assignr.resilience.testkit.VirtualTime;
import com.assignr.resilience.testkit.internal.SimulatorTls;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Token requests on OkHttp against a real token endpoint (WireMock, HTTPS, random loopback
 * ports): what goes out, that your interceptors, redirects and timeouts are not used, and that the
 * credentials built on it leak nothing.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OkHttpTokenTransportTest {
  static final String CLIENT_ID = "cid-SECRETCLIENT-77";
  static final String SECRET = "cs-SUPERSECRET+/&= 4711";
  static final String TOKEN = "tok-TOPSECRET-0815";
  static final List<String> NEVER = List.of("SECRETCLIENT", "SUPERSECRET", "TOPSECRET");
  static final String PATH = "/oauth/token";
  /**
   * Slow answers get a path of their own: a request abandoned by its test may still be answered
   * and journaled during the next one, and must not count there.
   */
  static final String SLOW = "/oauth/slow";

  static WireMockServer server;
  static OkHttpClient client;
  static URI tokenUri;

  @BeforeAll
  static void startTokenEndpoint() {
    server = new WireMockServer(WireMockConfiguration.options()
        .bindAddress("127.0.0.1")
        .dynamicPort()
        .dynamicHttpsPort()
        .keystorePath(SimulatorTls.keystoreUrl())
        .keystoreType(SimulatorTls.KEYSTORE_TYPE)
        .keystorePassword(SimulatorTls.KEYSTORE_PASSWORD)
        .keyManagerPassword(SimulatorTls.KEYSTORE_PASSWORD));
    server.start();
    client = new OkHttpClient.Builder()
        .sslSocketFactory(SimulatorTls.sslContext().getSocketFactory(), SimulatorTls.trustManager())
        .build();
    tokenUri = URI.create("https://localhost:" + server.httpsPort() + PATH);
  }

  @AfterAll
  static void stop() {
    server.stop();
    client.dispatcher().executorService().shutdown();
    client.connectionPool().evictAll();
  }

  @BeforeEach
  void reset() {
    server.resetAll();
  }

  static void answer(int status, String body) {
    server.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(status)
        .withHeader("Content-Type", "application/json").withBody(body)));
  }

  /** Requests that reached the token path in this test. */
  static int requests() {
    return server.findAll(com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor(urlEqualTo(PATH))).size();
  }

  static final String FORM = "grant_type=client_credentials&client_id=" + CLIENT_ID + "&client_secret=cs";

  static TokenTransport.Answer send(OkHttpClient on, URI uri, Duration timeout) throws Exception {
    return OkHttpTokenTransport.of(on).post(uri, FORM, timeout).get(20, TimeUnit.SECONDS);
  }

  static Throwable failure(OkHttpClient on, URI uri, Duration timeout) {
    return assertThrows(ExecutionException.class, () -> send(on, uri, timeout)).getCause();
  }

  static String stackTrace(Throwable t) {
    StringWriter w = new StringWriter();
    t.printStackTrace(new PrintWriter(w));
    return w.toString();
  }

  @Test
  void postsTheFormAndReadsTheAnswer() throws Exception {
    answer(200, "{\"access_token\":\"" + TOKEN + "\"}");
    TokenTransport.Answer a = send(client, tokenUri, Duration.ofSeconds(20));
    assertEquals(200, a.status());
    assertEquals("{\"access_token\":\"" + TOKEN + "\"}", a.body());
    assertFalse(a.truncated());
    LoggedRequest r = server.findAll(com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor(urlEqualTo(PATH))).get(0);
    assertEquals("application/x-www-form-urlencoded", r.getHeader("Content-Type"));
    assertEquals("application/json", r.getHeader("Accept"));
    assertEquals(FORM, r.getBodyAsString());
  }

  @Test
  void aLongAnswerIsReadOnlyUpToTheBound() throws Exception {
    answer(200, "x".repeat(70_000));
    TokenTransport.Answer a = send(client, tokenUri, Duration.ofSeconds(20));
    assertTrue(a.truncated());
    assertEquals(TokenTransport.MAX_BODY_BYTES, a.body().length());
  }

  @Test
  void aRedirectIsNotFollowed() throws Exception {
    server.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(307)
        .withHeader("Location", "https://localhost:" + server.httpsPort() + "/elsewhere")));
    assertEquals(307, send(client.newBuilder().followRedirects(true).build(), tokenUri, Duration.ofSeconds(20)).status());
    assertEquals(1, requests(), "the secret was not sent again elsewhere");
  }

  @Test
  void tokenRequestsBypassYourInterceptorsAndTheLibrarysRetries() throws Exception {
    List<String> seen = new CopyOnWriteArrayList<>();
    OkHttpClient yours = client.newBuilder()
        .addInterceptor(chain -> {
          seen.add("application " + chain.request().url());
          return chain.proceed(chain.request());
        })
        .addInterceptor(AssignrInterceptor.create(AssignrResilience.builder().listener(RetryListener.NONE).build()))
        .addNetworkInterceptor(chain -> {
          seen.add("network " + chain.request().url());
          return chain.proceed(chain.request());
        })
        .build();
    answer(503, "");
    assertEquals(503, send(yours, tokenUri, Duration.ofSeconds(20)).status());
    assertEquals(1, requests(), "a 503 the API's retries would resend, sent once");
    assertEquals(List.of(), seen);
  }

  /**
   * The issue this answers: the token request inherited the client's read timeout (10 s in the
   * issue; 200 ms here) instead of its own 20 s.
   */
  @Test
  void theTokenRequestHasItsOwnTimeout_notYourClientsReadTimeout() throws Exception {
    String path = SLOW + "/within-its-own-timeout";
    server.stubFor(post(urlEqualTo(path)).willReturn(aResponse().withStatus(200).withBody("{}").withFixedDelay(800)));
    OkHttpClient impatient = client.newBuilder().readTimeout(Duration.ofMillis(200)).callTimeout(Duration.ofMillis(300)).build();
    TokenTransport.Answer a = send(impatient, URI.create("https://localhost:" + server.httpsPort() + path),
        Duration.ofSeconds(20));
    assertEquals(200, a.status());
  }

  @Test
  void aSlowEndpointHitsTheRequestTimeout() {
    server.stubFor(post(urlEqualTo(SLOW)).willReturn(aResponse().withStatus(200).withFixedDelay(2_000)));
    URI slow = URI.create("https://localhost:" + server.httpsPort() + SLOW);
    assertInstanceOf(InterruptedIOException.class, failure(client, slow, Duration.ofMillis(300)));
  }

  @Test
  void anUnreachableEndpointIsTheTransportsOwnFailure() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    Throwable t = failure(client, URI.create("https://127.0.0.1:" + closedPort + PATH), Duration.ofSeconds(20));
    assertInstanceOf(IOException.class, t);
    for (String secret : NEVER) assertFalse(stackTrace(t).contains(secret), stackTrace(t));
  }

  @Test
  void cancellingTheFutureCancelsTheCall() {
    // A slow path of this test's own, and only calls for it are counted: the dispatcher is the
    // class-wide client's, and an earlier test's call can still be on it for a moment.
    String path = SLOW + "/cancelled";
    server.stubFor(post(urlEqualTo(path)).willReturn(aResponse().withStatus(200).withFixedDelay(2_000)));
    URI slow = URI.create("https://localhost:" + server.httpsPort() + path);
    CompletableFuture<TokenTransport.Answer> f = OkHttpTokenTransport.of(client).post(slow, FORM, Duration.ofSeconds(20));
    List<Call> calls = new ArrayList<>(client.dispatcher().runningCalls());
    calls.addAll(client.dispatcher().queuedCalls());
    calls.removeIf(c -> !c.request().url().encodedPath().equals(path));
    assertEquals(1, calls.size(), "the token request is an enqueued call on your dispatcher");
    assertTrue(f.cancel(true));
    assertTrue(calls.get(0).isCanceled());
  }

  @Test
  void aNullClientIsNamed() {
    InvalidSettingsException e = assertThrows(InvalidSettingsException.class, () -> OkHttpTokenTransport.of(null));
    assertEquals("Invalid OkHttpTokenTransport: client must not be null but was null", e.getMessage());
  }

  @Test
  void credentialsOnThisTransportRefreshOnceAfterA401AndLeakNothingAtTrace() throws Exception {
    CapturingLogger logger = new CapturingLogger();
    RetryListener trace = new RetryListener() {
      @Override public void onTokenRefreshed(String key, Duration validFor) {
        logger.trace("refreshed {} {}", key, validFor);
      }
      @Override public void onTokenRefreshFailed(String key, Throwable failure) {
        logger.trace("refresh failed {} {}", key, stackTrace(failure));
      }
    };
    VirtualTime time = VirtualTime.manual();
    Credentials credentials = AssignrOAuth.builder().clientId(CLIENT_ID).clientSecret(SECRET).scope("read write")
        .tokenUri(tokenUri).transport(OkHttpTokenTransport.of(client)).timeSource(time).random(() -> 0.0)
        .listener(RetryListener.composite(Slf4jRetryListener.create(logger), trace)).build();
    List<String> texts = new ArrayList<>();

    answer(200, "{\"access_token\":\"" + TOKEN + "-1\",\"token_type\":\"bearer\",\"expires_in\":7200}");
    String first = credentials.authorization(Long.MAX_VALUE);
    assertEquals("Bearer " + TOKEN + "-1", first);
    assertEquals(Map.of("grant_type", "client_credentials", "client_id", CLIENT_ID, "client_secret", SECRET,
        "scope", "read write"), form(server.findAll(com.github.tomakehurst.wiremock.client.WireMock
            .postRequestedFor(urlEqualTo(PATH))).get(0).getBodyAsString()));
    answer(200, "{\"access_token\":\"" + TOKEN + "-2\",\"token_type\":\"bearer\",\"expires_in\":7200}");
    assertEquals(first, credentials.authorization(0), "cached: no request");
    assertTrue(credentials.invalidate(first)); // the API answered 401 to it
    assertEquals("Bearer " + TOKEN + "-2", credentials.authorization(Long.MAX_VALUE));
    assertEquals(2, requests());

    assertTrue(credentials.invalidate("Bearer " + TOKEN + "-2"));
    answer(400, "{\"error\":\"invalid_client\",\"error_description\":\"client_secret=" + SECRET + "\"}");
    AuthorizationFailure e = assertThrows(AuthorizationFailure.class, () -> credentials.authorization(Long.MAX_VALUE));
    assertEquals(AuthorizationFailure.Kind.REFUSED, e.kind());
    assertEquals("invalid_client", e.error());
    assertInstanceOf(TokenEndpointException.class, e.getCause());
    assertTrue(e.getMessage().contains("HTTP 400 (invalid_client)"), e.getMessage());
    texts.add(stackTrace(e));
    texts.add(credentials.toString());
    texts.addAll(logger.lines);
    assertTrue(logger.lines.stream().anyMatch(l -> l.startsWith("TRACE refresh failed")), logger.lines.toString());
    for (String text : texts) {
      for (String secret : NEVER) assertFalse(text.contains(secret), "leaked " + secret + ": " + text);
    }
  }

  static Map<String, String> form(String body) {
    Map<String, String> fields = new LinkedHashMap<>();
    for (String pair : body.split("&")) {
      String[] kv = pair.split("=", 2);
      fields.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8), URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
    }
    return fields;
  }
}
