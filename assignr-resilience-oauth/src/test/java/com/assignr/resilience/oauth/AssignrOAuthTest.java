package com.assignr.resilience.oauth;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.assignr.resilience.InvalidSettingsException;
import com.assignr.resilience.RetryListener;
import com.assignr.resilience.spi.AuthorizationFailure;
import com.assignr.resilience.testkit.VirtualTime;
import com.assignr.resilience.testkit.internal.SimulatorTls;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The client-credentials token source on {@code java.net.http} against a real token endpoint
 * (WireMock, HTTPS, random loopback ports): what it sends, how it maps every answer, and that no
 * secret escapes.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AssignrOAuthTest {
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
  static HttpClient client;
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
    client = HttpClient.newBuilder().sslContext(SimulatorTls.sslContext()).version(HttpClient.Version.HTTP_1_1).build();
    tokenUri = URI.create("https://localhost:" + server.httpsPort() + PATH);
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

  /** Requests that reached the token path in this test. */
  static int requests() {
    return server.findAll(com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor(urlEqualTo(PATH))).size();
  }

  static TokenSource source() {
    return grant(client, tokenUri, CLIENT_ID, SECRET, "read write");
  }

  /** The grant on java.net.http, as AssignrOAuth.build() makes it, without the cache around it. */
  static TokenSource grant(HttpClient on, URI uri, String clientId, String secret, String scope) {
    return new GrantTokenSource(ClientCredentialsGrant.of(uri, clientId, secret, scope, false),
        TokenTransport.jdk(on), Duration.ofSeconds(20));
  }

  static AccessToken fetch(TokenSource source) throws Exception {
    return source.fetchToken().get(20, TimeUnit.SECONDS);
  }

  static Throwable failure(TokenSource source) {
    return assertThrows(ExecutionException.class, () -> fetch(source)).getCause();
  }

  static Map<String, String> form(String body) {
    Map<String, String> fields = new LinkedHashMap<>();
    for (String pair : body.split("&")) {
      String[] kv = pair.split("=", 2);
      fields.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8), URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
    }
    return fields;
  }

  static String stackTrace(Throwable t) {
    StringWriter w = new StringWriter();
    t.printStackTrace(new PrintWriter(w));
    return w.toString();
  }

  @Test
  void postsTheClientCredentialsFormAndReadsTheToken() throws Exception {
    answer(200, "{\"access_token\":\"" + TOKEN + "\",\"token_type\":\"Bearer\",\"expires_in\":7200}");
    AccessToken token = fetch(source());
    assertEquals(TOKEN, token.value());
    assertEquals(Optional.of(Duration.ofSeconds(7200)), token.lifetime());

    List<LoggedRequest> requests = server.findAll(com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor(urlEqualTo(PATH)));
    assertEquals(1, requests.size());
    LoggedRequest r = requests.get(0);
    assertEquals("POST", r.getMethod().value());
    assertEquals(PATH, r.getUrl());
    assertEquals("application/x-www-form-urlencoded", r.getHeader("Content-Type"));
    assertEquals("application/json", r.getHeader("Accept"));
    assertFalse(r.containsHeader("Authorization"), "the secret travels in the form, nothing in headers");
    assertEquals(List.of("grant_type", "client_id", "client_secret", "scope"),
        List.copyOf(form(r.getBodyAsString()).keySet()));
    assertEquals(Map.of("grant_type", "client_credentials", "client_id", CLIENT_ID, "client_secret", SECRET,
        "scope", "read write"), form(r.getBodyAsString()));
  }

  @Test
  void onlyHttpsUnlessLoopbackHttpIsExplicitlyAllowed() throws Exception {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AssignrOAuth.builder()
        .tokenUri(URI.create("http://app.assignr.com/oauth/token")).clientId(CLIENT_ID).clientSecret(SECRET).build());
    assertTrue(e.getMessage().contains("tokenUri must be https"), e.getMessage());
    URI plain = URI.create("http://127.0.0.1:" + server.port() + PATH);
    assertThrows(IllegalArgumentException.class,
        () -> AssignrOAuth.builder().tokenUri(plain).clientId(CLIENT_ID).clientSecret(SECRET).build());
    assertThrows(IllegalArgumentException.class, () -> AssignrOAuth.builder()
        .tokenUri(URI.create("http://app.assignr.com/oauth/token")).clientId("c").clientSecret("s")
        .allowInsecureLoopback(true).build(), "the opt-in covers loopback only");
    assertEquals(0, requests(), "nothing was sent");

    answer(200, "{\"access_token\":\"local\",\"token_type\":\"Bearer\",\"expires_in\":60}");
    Credentials local = AssignrOAuth.builder().transport(TokenTransport.jdk(client)).tokenUri(plain).clientId("c")
        .clientSecret("s").minLifetime(Duration.ofSeconds(60)).allowInsecureLoopback(true).build();
    assertEquals("Bearer local", local.authorization(TimeUnit.SECONDS.toNanos(20)));
  }

  @Test
  void errorAnswersBecomeClearExceptionsThatNeverHoldTheBody() throws Exception {
    String echo = "grant_type=client_credentials&client_id=" + CLIENT_ID + "&client_secret=" + SECRET;
    record Case(int status, String body, String error, String message) {}
    List<Case> cases = List.of(
        new Case(400, "{\"error\":\"invalid_client\",\"error_description\":\"bad " + echo + "\"}", "invalid_client",
            "Token request to localhost:" + server.httpsPort() + "/oauth/token failed: HTTP 400 (invalid_client):"
                + " the client id or secret was refused"),
        new Case(401, "{\"error\":\"" + SECRET + "\"}", null, "HTTP 401: the client id or secret was refused"),
        new Case(500, "<html><pre>" + echo + "</pre></html>", null, "HTTP 500: the token endpoint failed"),
        new Case(200, echo, null, "HTTP 200: the body is not a JSON token answer: not a JSON object"),
        new Case(200, "{\"access_token\":\"" + TOKEN + "\",\"token_type\":\"" + SECRET + "\"}", null,
            "token_type must be Bearer but was another type (not shown)"),
        new Case(200, "{\"access_token\":\"" + TOKEN + "\",\"expires_in\":-1}", null,
            "expires_in must be a positive number of seconds but was -1"),
        new Case(200, "{\"access_token\":\"" + "x".repeat(70_000) + "\"}", null,
            "the answer is longer than 65536 bytes, not a token answer"));
    for (Case c : cases) {
      server.resetAll();
      answer(c.status, c.body);
      TokenEndpointException e = assertInstanceOf(TokenEndpointException.class, failure(source()), c.message);
      assertEquals(c.status, e.status());
      assertEquals(c.error, e.error());
      assertTrue(e.getMessage().contains(c.message), e.getMessage());
      for (String secret : NEVER) assertFalse(stackTrace(e).contains(secret), "leaked " + secret + ": " + e);
    }
  }

  @Test
  void aRedirectIsAnErrorAndAClientThatFollowsRedirectsIsRefused() {
    server.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(307)
        .withHeader("Location", "https://localhost:" + server.httpsPort() + "/elsewhere")));
    TokenEndpointException e = assertInstanceOf(TokenEndpointException.class, failure(source()));
    assertEquals(307, e.status());
    assertTrue(e.getMessage().contains("token requests do not follow redirects; check tokenUri"), e.getMessage());
    assertEquals(1, requests(), "the secret was not sent again elsewhere");

    HttpClient following = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();
    IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
        () -> TokenTransport.jdk(following));
    assertEquals("Invalid TokenTransport.jdk: client must not follow redirects"
        + " (a 307 or 308 would re-send the client secret to the redirect's host) but was Redirect.NORMAL",
        refused.getMessage());
  }

  @Test
  void anUnreachableEndpointIsTheTransportsOwnFailure() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    Throwable t = failure(grant(client,
        URI.create("https://127.0.0.1:" + closedPort + PATH), CLIENT_ID, SECRET, null));
    assertInstanceOf(IOException.class, t);
    for (String secret : NEVER) assertFalse(stackTrace(t).contains(secret), stackTrace(t));
  }

  @Test
  void aSlowEndpointHitsTheRequestTimeout() {
    server.stubFor(post(urlEqualTo(SLOW)).willReturn(aResponse().withStatus(200).withFixedDelay(2_000)));
    URI slow = URI.create("https://localhost:" + server.httpsPort() + SLOW);
    TokenSource source = new GrantTokenSource(ClientCredentialsGrant.of(slow, "c", "s", null, false),
        TokenTransport.jdk(client), Duration.ofMillis(300));
    assertInstanceOf(HttpTimeoutException.class, failure(source));
  }

  @Test
  void cancellingTheFutureCancelsTheExchangeAndAThrowingClientIsAFailedFuture() {
    StubHttpClient hanging = new StubHttpClient(r -> new CompletableFuture<>());
    CompletableFuture<AccessToken> f = grant(hanging, tokenUri, CLIENT_ID, SECRET, null).fetchToken();
    assertEquals(1, hanging.futures.size());
    assertTrue(f.cancel(true));
    assertTrue(hanging.futures.get(0).isCancelled(), "the client's own future is cancelled too");

    StubHttpClient closed = new StubHttpClient(r -> {
      throw new IllegalStateException("the client is shut down");
    });
    Throwable t = failure(grant(closed, tokenUri, CLIENT_ID, SECRET, null));
    assertInstanceOf(IllegalStateException.class, t);
  }

  @Test
  void aBadTimeoutHidesNoMissingSecret_everyProblemIsReportedInOneRound() {
    InvalidSettingsException e = assertThrows(InvalidSettingsException.class, () -> AssignrOAuth.builder()
        .tokenUri(URI.create("http://auth.example.com/oauth/token")).clientId(CLIENT_ID)
        .requestTimeout(Duration.ZERO).build());
    assertEquals(List.of("requestTimeout", "tokenUri", "clientSecret"),
        e.problems().stream().map(InvalidSettingsException.Problem::setting).toList(), e.getMessage());
  }

  @Test
  void badSettingsAreNamedAndTheSecretIsNeverQuoted() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> AssignrOAuth.builder().requestTimeout(Duration.ZERO).build());
    assertEquals("Invalid AssignrOAuth: requestTimeout must be between PT0.001S and PT10M but was PT0S;"
        + " clientId must be set but was null; clientSecret must be set but was null", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> AssignrOAuth.builder()
        .tokenUri(URI.create("https://app.assignr.com/oauth/token?client_secret=SUPERSECRET"))
        .clientId(CLIENT_ID).clientSecret(" ").build());
    assertTrue(e.getMessage().contains("clientSecret must be set but was (blank)"), e.getMessage());
    for (String secret : NEVER) assertFalse(e.getMessage().contains(secret), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> TokenTransport.jdk(null));
    assertEquals("Invalid TokenTransport.jdk: client must not be null but was null", e.getMessage());
  }

  @Test
  void credentialsOnThisSourceRefreshOnceAfterA401AndLeakNothingInAnyEvent() throws Exception {
    // Every event's every argument, failures with their whole stack trace (core's and the OkHttp
    // adapter's tests run the same through an SLF4J logger at TRACE).
    List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
    RetryListener trace = new RetryListener() {
      @Override public void onTokenRefreshed(String key, Duration validFor) {
        lines.add("refreshed " + key + " " + validFor);
      }
      @Override public void onTokenRefreshFailed(String key, Throwable failure) {
        lines.add("refresh failed " + key + " " + stackTrace(failure));
      }
    };
    VirtualTime time = VirtualTime.manual();
    TokenSource source = source();
    Credentials credentials = AssignrOAuth.builder().tokenSource(source).clientId(CLIENT_ID).timeSource(time)
        .random(() -> 0.0).listener(trace).build();
    List<String> texts = new ArrayList<>();

    answer(200, "{\"access_token\":\"" + TOKEN + "-1\",\"token_type\":\"bearer\",\"expires_in\":7200}");
    String first = credentials.authorizationAsync().get(20, TimeUnit.SECONDS);
    assertEquals("Bearer " + TOKEN + "-1", first);
    answer(200, "{\"access_token\":\"" + TOKEN + "-2\",\"token_type\":\"bearer\",\"expires_in\":7200}");
    assertEquals(first, credentials.authorization(0), "cached: no request");
    assertTrue(credentials.invalidate(first)); // the API answered 401 to it
    assertEquals("Bearer " + TOKEN + "-2", credentials.authorization(Long.MAX_VALUE));
    assertEquals(2, requests());

    assertTrue(credentials.invalidate("Bearer " + TOKEN + "-2"));
    answer(400, "{\"error\":\"invalid_client\",\"error_description\":\"client_secret=" + SECRET + "\"}");
    ExecutionException e = assertThrows(ExecutionException.class,
        () -> credentials.authorizationAsync().get(20, TimeUnit.SECONDS));
    AuthorizationFailure refused = assertInstanceOf(AuthorizationFailure.class, e.getCause());
    assertEquals(AuthorizationFailure.Kind.REFUSED, refused.kind());
    assertEquals("invalid_client", refused.error());
    assertInstanceOf(TokenEndpointException.class, refused.getCause());
    assertTrue(refused.getMessage().contains("HTTP 400 (invalid_client)"), refused.getMessage());
    texts.add(stackTrace(refused));
    texts.add(credentials.toString());
    texts.add(source.toString());
    texts.addAll(lines);
    assertEquals(3, lines.size(), lines.toString());
    assertTrue(lines.get(2).startsWith("refresh failed " + credentials.quotaKey()), lines.get(2));
    for (String text : texts) {
      for (String secret : NEVER) assertFalse(text.contains(secret), "leaked " + secret + ": " + text);
    }
  }
}
