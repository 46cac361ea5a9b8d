package com.assignr.resilience.testkit;

import static com.assignr.resilience.testkit.Http.header;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.http.Fault;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The simulated OAuth token endpoint and the API's enforcement of the tokens it issues. */
@Timeout(30)
class TokenEndpointTest {

  static final MutableClock CLOCK = MutableClock.at("2025-09-06T10:00:00Z");
  static final String CLIENT = "assignr-sync";
  static final String SECRET = "client-secret-do-not-log";
  static final String CREDENTIALS = "grant_type=client_credentials&client_id=" + CLIENT
      + "&client_secret=" + SECRET + "&scope=read+write";

  @RegisterExtension
  static final AssignrSimulatorExtension SIM = AssignrSimulatorExtension.of(
      AssignrSimulator.builder().clock(CLOCK).https(true)
          .oauthClient(CLIENT, SECRET)
          .oauthClient("other-app", "other-secret")
          .tokenLifetime(Duration.ofSeconds(60))
          .requireIssuedTokens(true));

  private static final ObjectMapper JSON = new ObjectMapper();
  private final Http http = Http.trusting(SIM.simulator().sslContext());

  private HttpResponse<String> tokenRequest(String form) {
    return http.send(HttpRequest.newBuilder(SIM.simulator().tokenUri())
        .timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form)).build());
  }

  private String newToken() {
    HttpResponse<String> r = tokenRequest(CREDENTIALS);
    assertEquals(200, r.statusCode(), r.body());
    return json(r).get("access_token").textValue();
  }

  private HttpResponse<String> api(String bearer) {
    HttpRequest.Builder request = HttpRequest.newBuilder(
            URI.create(SIM.baseUrl() + "/sites/1/games?limit=1"))
        .timeout(Duration.ofSeconds(10)).header("Accept", AssignrSimulator.MEDIA_TYPE);
    if (bearer != null) {
      request.header("Authorization", "Bearer " + bearer);
    }
    return http.send(request.GET().build());
  }

  private static JsonNode json(HttpResponse<String> r) {
    try {
      return JSON.readTree(r.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void aRegisteredClientGetsABearerTokenOnItsOwnHostThatTheApiAccepts() {
    HttpResponse<String> r = tokenRequest(CREDENTIALS);

    assertEquals(200, r.statusCode());
    assertTrue(header(r, "Content-Type").startsWith("application/json"));
    assertEquals("no-store", header(r, "Cache-Control"));
    JsonNode body = json(r);
    String token = body.get("access_token").textValue();
    assertTrue(token.matches("[A-Za-z0-9_-]{43}"), "32 random bytes, URL-safe Base64: " + token);
    assertEquals("Bearer", body.get("token_type").textValue());
    assertEquals(60, body.get("expires_in").longValue(), "the configured lifetime");
    assertEquals("read write", body.get("scope").textValue());
    assertEquals(CLOCK.instant().getEpochSecond(), body.get("created_at").longValue());
    URI tokenUri = SIM.simulator().tokenUri();
    assertEquals("https", tokenUri.getScheme());
    assertEquals("/oauth/token", tokenUri.getPath());
    assertNotEquals(SIM.simulator().httpsPort(), tokenUri.getPort(), "a server of its own");

    assertEquals(200, api(token).statusCode());
    assertEquals(1, SIM.simulator().activeTokens());
    List<TokenRequest> requests = SIM.simulator().tokenRequests();
    assertEquals(1, requests.size());
    TokenRequest logged = requests.get(0);
    assertEquals(CLIENT, logged.clientId());
    assertTrue(logged.secretPresent() && logged.tokenIssued());
    assertEquals("client_credentials", logged.grantType());
    assertEquals("https", logged.scheme());
    assertEquals(200, logged.status());
    assertNull(logged.error());
    SimulatorStats stats = SIM.simulator().stats();
    assertEquals(1, stats.tokenRequests());
    assertEquals(1, stats.tokensIssued());
    assertEquals(1, stats.totalRequests(), "token requests are not API requests");
    String everything = requests + " " + SIM.journal().entries() + " " + stats;
    assertFalse(everything.contains(SECRET), "no secret is recorded");
    assertFalse(everything.contains(token), "no token is recorded");
  }

  @Test
  void tokensAreFreshEachTimeAndHttpBasicAuthenticatesTheClientToo() {
    String first = newToken();
    String basic = Base64.getEncoder()
        .encodeToString(("other-app:other-secret").getBytes(StandardCharsets.UTF_8));
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(SIM.simulator().tokenUri())
        .header("Authorization", "Basic " + basic)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&scope=read"))
        .build());
    assertEquals(200, r.statusCode(), r.body());
    String second = json(r).get("access_token").textValue();
    assertNotEquals(first, second);
    assertEquals("read", json(r).get("scope").textValue());
    assertEquals("other-app", SIM.simulator().tokenRequests().get(1).clientId());
    assertEquals(200, api(first).statusCode());
    assertEquals(200, api(second).statusCode());
  }

  @Test
  void wrongCredentialsAre401InvalidClientAndWrongGrantsAre400() {
    record Case(String form, int status, String error) {}
    List<Case> cases = List.of(
        new Case("grant_type=client_credentials&client_id=" + CLIENT + "&client_secret=wrong",
            401, "invalid_client"),
        new Case("grant_type=client_credentials&client_id=nobody&client_secret=" + SECRET,
            401, "invalid_client"),
        new Case("grant_type=client_credentials&client_id=" + CLIENT, 401, "invalid_client"),
        new Case("grant_type=password&client_id=" + CLIENT + "&client_secret=" + SECRET,
            400, "unsupported_grant_type"),
        new Case("client_id=" + CLIENT + "&client_secret=" + SECRET, 400, "invalid_request"),
        new Case(CREDENTIALS.replace("read+write", "read+admin"), 400, "invalid_scope"));
    for (Case c : cases) {
      HttpResponse<String> r = tokenRequest(c.form());
      assertEquals(c.status(), r.statusCode(), c.form());
      assertEquals(c.error(), json(r).get("error").textValue(), c.form());
      assertNull(json(r).get("access_token"));
      if (c.status() == 401) {
        assertTrue(header(r, "WWW-Authenticate").startsWith("Basic"), c.form());
      }
    }
    assertEquals(List.of("invalid_client", "invalid_client", "invalid_client",
            "unsupported_grant_type", "invalid_request", "invalid_scope"),
        SIM.simulator().tokenRequests().stream().map(TokenRequest::error).toList());
    assertEquals(0, SIM.simulator().stats().tokensIssued());
    assertEquals(405, http.send(HttpRequest.newBuilder(SIM.simulator().tokenUri()).GET().build())
        .statusCode(), "the endpoint takes POST only");
  }

  @Test
  void theApiRefusesMissingUnknownAndExpiredTokensOnTheSimulatorClock() {
    String token = newToken();
    assertEquals(200, api(token).statusCode());

    HttpResponse<String> none = api(null);
    assertEquals(401, none.statusCode());
    HttpResponse<String> unknown = api("not-a-token-we-issued");
    assertEquals(401, unknown.statusCode());
    assertTrue(header(unknown, "WWW-Authenticate").contains("error=\"invalid_token\""));
    assertTrue(unknown.body().contains("The access token is invalid"), unknown.body());

    CLOCK.advance(Duration.ofMillis(59_999));
    assertEquals(200, api(token).statusCode(), "still inside its 60 s");
    CLOCK.advance(Duration.ofMillis(1));
    HttpResponse<String> expired = api(token);
    assertEquals(401, expired.statusCode());
    assertTrue(expired.body().contains("The access token expired"), expired.body());
    assertEquals(0, SIM.simulator().activeTokens());

    List<JournalEntry> entries = SIM.journal().entries();
    assertEquals(List.of(200, 401, 401, 200, 401),
        entries.stream().map(JournalEntry::status).toList());
    assertEquals(List.of(true, false, true, true, true),
        entries.stream().map(JournalEntry::authorizationPresent).toList());
    assertFalse(entries.toString().contains(token));
  }

  @Test
  void expireAllTokensForcesA401UntilTheClientFetchesANewOne() {
    String token = newToken();
    assertEquals(200, api(token).statusCode());

    assertEquals(1, SIM.simulator().expireAllTokens());

    assertEquals(401, api(token).statusCode());
    String fresh = newToken();
    assertEquals(200, api(fresh).statusCode());
    assertEquals(401, api(token).statusCode(), "the old one stays dead");
    assertEquals(2, SIM.simulator().stats().tokenRequests());
  }

  @Test
  void aResetForgetsIssuedTokens() {
    String token = newToken();
    SIM.simulator().reset();
    assertEquals(401, api(token).statusCode());
    assertEquals(0, SIM.simulator().tokenRequests().size());
  }

  @Test
  void scriptedServerErrorsInvalidClientAndFaultsIssueNoToken() {
    SIM.simulator().tokenScript().serverError(1)
        .next(1).respondStatus(503)
        .next(1).invalidClient()
        .next(1).fault(Fault.CONNECTION_RESET_BY_PEER);

    HttpResponse<String> error = tokenRequest(CREDENTIALS);
    assertEquals(500, error.statusCode());
    assertEquals("server_error", json(error).get("error").textValue());
    HttpResponse<String> unavailable = tokenRequest(CREDENTIALS);
    assertEquals(503, unavailable.statusCode());
    assertEquals("temporarily_unavailable", json(unavailable).get("error").textValue());
    HttpResponse<String> invalid = tokenRequest(CREDENTIALS);
    assertEquals(400, invalid.statusCode());
    assertEquals("invalid_client", json(invalid).get("error").textValue());
    assertThrows(UncheckedIOException.class, () -> tokenRequest(CREDENTIALS));
    assertEquals(200, tokenRequest(CREDENTIALS).statusCode(), "script used up");

    assertEquals(0, SIM.simulator().tokenScript().pending());
    List<TokenRequest> requests = SIM.simulator().tokenRequests();
    assertEquals(List.of(500, 503, 400, 0, 200),
        requests.stream().map(TokenRequest::status).toList());
    assertEquals(Fault.CONNECTION_RESET_BY_PEER, requests.get(3).fault());
    assertEquals(List.of(true, true, true, true, false),
        requests.stream().map(TokenRequest::scripted).toList());
    assertEquals(1, SIM.simulator().stats().tokensIssued());
    assertEquals(1, SIM.simulator().activeTokens());
  }

  @Test
  void aSlowTokenEndpointDelaysItsAnswer() {
    SIM.simulator().tokenScript().delay(Duration.ofMillis(200), 1);
    long start = System.nanoTime();
    HttpResponse<String> r = tokenRequest(CREDENTIALS);
    assertTrue(System.nanoTime() - start >= Duration.ofMillis(200).toNanos());
    assertEquals(200, r.statusCode());
    assertEquals(200, SIM.simulator().tokenRequests().get(0).delayMillis());
  }

  @Test
  void malformedAnswersCarryTheirDefectAndTheirTokenWhenTheyHaveOne() {
    for (MalformedTokenResponse defect : MalformedTokenResponse.values()) {
      SIM.simulator().tokenScript().malformed(defect, 1);
      HttpResponse<String> r = tokenRequest(CREDENTIALS);
      assertEquals(200, r.statusCode(), defect.name());
      if (defect == MalformedTokenResponse.NOT_JSON) {
        assertTrue(header(r, "Content-Type").startsWith("text/html"));
        assertThrows(UncheckedIOException.class, () -> json(r));
        continue;
      }
      JsonNode body = json(r);
      JsonNode expiresIn = body.get("expires_in");
      switch (defect) {
        case EXPIRES_IN_MISSING -> assertNull(expiresIn);
        case EXPIRES_IN_ZERO -> assertEquals(0, expiresIn.longValue());
        case EXPIRES_IN_NEGATIVE -> assertEquals(-1, expiresIn.longValue());
        case EXPIRES_IN_ABSURD -> assertEquals(Long.MAX_VALUE, expiresIn.longValue());
        case EXPIRES_IN_NOT_A_NUMBER -> assertEquals("soon", expiresIn.textValue());
        case TOKEN_TYPE_NOT_BEARER -> assertEquals("mac", body.get("token_type").textValue());
        case ACCESS_TOKEN_MISSING -> assertNull(body.get("access_token"));
        default -> throw new AssertionError(defect);
      }
      if (defect.issuesToken()) {
        assertEquals(200, api(body.get("access_token").textValue()).statusCode(), defect.name());
      }
    }
    assertEquals(MalformedTokenResponse.values().length - 2,
        SIM.simulator().stats().tokensIssued());
    assertTrue(SIM.simulator().tokenRequests().stream().allMatch(TokenRequest::scripted));
  }

  @Test
  void aMalformedRuleLeavesARefusalAlone() {
    SIM.simulator().tokenScript().malformed(MalformedTokenResponse.EXPIRES_IN_ZERO, 1);
    HttpResponse<String> r = tokenRequest(CREDENTIALS.replace(SECRET, "wrong"));
    assertEquals(401, r.statusCode());
    assertEquals("invalid_client", json(r).get("error").textValue());
    assertEquals(0, SIM.simulator().tokenScript().pending(), "the rule fired on that request");
  }

  @Test
  void withoutEnforcementAnyBearerTokenStillWorksAndTheEndpointStopsWithTheSimulator() {
    URI tokenUri;
    try (AssignrSimulator plain = AssignrSimulator.builder().clock(CLOCK)
        .oauthClient(CLIENT, SECRET).start()) {
      tokenUri = plain.tokenUri();
      assertEquals("http", tokenUri.getScheme());
      Http client = Http.plain();
      assertEquals(200, client.get(plain.baseUrl() + "/sites").statusCode(), "enforcement is off");
      HttpResponse<String> r = client.send(HttpRequest.newBuilder(tokenUri)
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"grant_type\":\"client_credentials\","
              + "\"client_id\":\"" + CLIENT + "\",\"client_secret\":\"" + SECRET + "\"}"))
          .build());
      assertEquals(200, r.statusCode(), "a JSON body works as Rails parses it");
      assertEquals(7200, json(r).get("expires_in").longValue(), "Assignr's default lifetime");
      assertEquals("read write", json(r).get("scope").textValue(), "the default scope");
    }
    HttpRequest after = HttpRequest.newBuilder(tokenUri)
        .POST(HttpRequest.BodyPublishers.ofString(CREDENTIALS)).build();
    assertThrows(IOException.class, () -> Http.plain().sendOrThrow(after), "stopped");
  }

  @Test
  void httpsOnlyRedirectsPlainTokenRequests() {
    try (AssignrSimulator sim = AssignrSimulator.builder().httpsOnly(true)
        .oauthClient(CLIENT, SECRET).start()) {
      sim.tokenScript().serverError(1);
      HttpResponse<String> r = Http.plain().send(HttpRequest.newBuilder(sim.httpTokenUri())
          .POST(HttpRequest.BodyPublishers.ofString(CREDENTIALS)).build());
      assertEquals(302, r.statusCode());
      assertEquals(sim.tokenUri().toString(), header(r, "Location"));
      assertEquals(0, sim.activeTokens());
      assertEquals(1, sim.tokenScript().pending(), "the redirect used up no rule");
    }
  }

  @Test
  void theBuilderValidatesTheOAuthSettings() {
    assertThrows(IllegalArgumentException.class,
        () -> AssignrSimulator.builder().requireIssuedTokens(true).build(), "no client");
    assertThrows(IllegalArgumentException.class, () -> AssignrSimulator.builder()
        .oauthClient(CLIENT, SECRET).token("fixed").requireIssuedTokens(true).build());
    assertThrows(IllegalArgumentException.class,
        () -> AssignrSimulator.builder().oauthClient(CLIENT, " ").build());
    assertThrows(IllegalArgumentException.class,
        () -> AssignrSimulator.builder().oauthClient("", SECRET).build());
    assertThrows(IllegalArgumentException.class, () -> AssignrSimulator.builder()
        .oauthClient(CLIENT, SECRET).oauthClient(CLIENT, "again").build());
    IllegalArgumentException lifetime = assertThrows(IllegalArgumentException.class,
        () -> AssignrSimulator.builder().tokenLifetime(Duration.ofMillis(1500)).build());
    assertTrue(lifetime.getMessage().contains("tokenLifetime"), lifetime.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> AssignrSimulator.builder().tokenLifetime(Duration.ZERO).build());
    IllegalStateException noEndpoint = assertThrows(IllegalStateException.class,
        () -> AssignrSimulator.builder().build().tokenUri());
    assertTrue(noEndpoint.getMessage().contains("oauthClient"), noEndpoint.getMessage());
    assertEquals(List.of(), AssignrSimulator.builder().build().tokenRequests());
  }
}
