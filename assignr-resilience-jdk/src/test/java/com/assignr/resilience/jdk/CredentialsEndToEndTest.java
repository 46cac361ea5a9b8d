package com.assignr.resilience.jdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.assignr.resilience.AssignrResilience;
import com.assignr.resilience.Classification;
import com.assignr.resilience.CredentialsRefusedException;
import com.assignr.resilience.oauth.AssignrOAuth;
import com.assignr.resilience.oauth.Credentials;
import com.assignr.resilience.oauth.TokenTransport;
import com.assignr.resilience.spi.AuthorizationFailure;
import com.assignr.resilience.RequestInfo;
import com.assignr.resilience.RetryListener;
import com.assignr.resilience.UnauthorizedException;
import com.assignr.resilience.testkit.VirtualTime;
import com.assignr.resilience.testkit.AssignrSimulator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The library's OAuth tokens on the wire, against the simulator's token endpoint (on its own port,
 * as Assignr's is on its own host) with the API enforcing issued tokens.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CredentialsEndToEndTest {
  private static final String GAMES = "/api/v2/sites/1/games";

  private AssignrSimulator sim;
  private HttpClient jdk;
  private VirtualTime time;
  private AssignrResilience resilience;
  private HttpClient client;

  @BeforeEach
  void start() {
    sim = AssignrSimulator.builder().rateLimits(List.of()).oauthClient("club-42", "s3cret-value")
        .requireIssuedTokens(true).start();
    jdk = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    // Manual virtual time: a real token request takes real milliseconds, which an auto-advancing
    // clock would turn into a passed deadline. These calls never wait for a retry delay.
    time = VirtualTime.manual();
    resilience = config(false);
    client = AssignrHttpClient.wrap(jdk, resilience);
  }

  private AssignrResilience config(boolean throwOnFailure) {
    Credentials credentials = AssignrOAuth.builder().clientId("club-42").clientSecret("s3cret-value")
        .scope("read write").tokenUri(sim.httpTokenUri()).allowInsecureLoopback(true)
        .transport(TokenTransport.jdk(jdk)).timeSource(time).refreshAhead(Duration.ZERO).build();
    return AssignrResilience.builder().timeSource(time).random(() -> 0.0).allowInsecureLoopback(true)
        .listener(RetryListener.NONE).credentials(credentials).throwOnFailure(throwOnFailure).build();
  }

  @AfterEach
  void stop() {
    sim.close();
  }

  private HttpRequest get() {
    return HttpRequest.newBuilder(URI.create(sim.httpBaseUrl() + "/sites/1/games")).GET().build();
  }

  @Test
  void aRequestWithoutAuthorizationIsSentWithTheLibrarysTokenFetchedOnce() throws Exception {
    for (int i = 0; i < 3; i++) assertEquals(200, client.send(get(), BodyHandlers.ofString()).statusCode());
    assertEquals(1, sim.tokenRequests().size(), "one token for every call");
    assertEquals(3, sim.journal().count("GET", GAMES));
    assertTrue(sim.journal().entries(null, GAMES).stream().allMatch(e -> e.authorizationPresent()));
  }

  @Test
  void a401ForTheCurrentTokenRefreshesOnceAndRetriesOnceForEveryMethod() throws Exception {
    assertEquals(200, client.send(get(), BodyHandlers.ofString()).statusCode());
    sim.expireAllTokens(); // Assignr now refuses the token the library holds
    HttpRequest post = HttpRequest.newBuilder(URI.create(sim.httpBaseUrl() + "/sites/1/games"))
        .POST(BodyPublishers.ofString("{\"game\":{\"date\":\"2027-01-01\",\"start_time\":\"10:00\",\"venue\":\"Park\"}}"))
        .build();
    HttpResponse<String> created = client.send(post, BodyHandlers.ofString());
    assertEquals(201, created.statusCode(), created.body());
    assertEquals(2, sim.tokenRequests().size(), "one refresh");
    assertEquals(2, sim.journal().count("POST", GAMES), "the 401'd POST, then once more: Assignr did not act on it");
    assertEquals(1, sim.journal().countProcessed("POST", GAMES), "one game created");
  }

  @Test
  void twentyConcurrentCallsThatAllGet401ShareOneRefresh() throws Exception {
    assertEquals(200, client.send(get(), BodyHandlers.ofString()).statusCode());
    sim.expireAllTokens();
    List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
    for (int i = 0; i < 20; i++) calls.add(client.sendAsync(get(), BodyHandlers.ofString()));
    for (CompletableFuture<HttpResponse<String>> call : calls) {
      assertEquals(200, call.get(30, TimeUnit.SECONDS).statusCode());
    }
    assertEquals(2, sim.tokenRequests().size(), "the first token and one refresh, however many 401s");
  }

  @Test
  void aSecond401IsReturnedOrThrownNotRetriedAgain() throws Exception {
    sim.script().on("GET", GAMES).next(2).respondStatus(401);
    HttpResponse<String> response = client.send(get(), BodyHandlers.ofString());
    assertEquals(401, response.statusCode());
    assertEquals(2, sim.journal().count("GET", GAMES), "one retry after the refresh, no more");
    assertEquals(2, sim.tokenRequests().size());

    sim.script().on("GET", GAMES).next(2).respondStatus(401);
    HttpClient throwing = AssignrHttpClient.wrap(jdk, config(true));
    UnauthorizedException e = assertThrows(UnauthorizedException.class,
        () -> throwing.send(get(), BodyHandlers.ofString()));
    assertEquals(2, e.attempts());
  }

  @Test
  void aRequestCarryingItsOwnAuthorizationKeepsItAndIsNotRetriedOn401() throws Exception {
    HttpRequest own = HttpRequest.newBuilder(URI.create(sim.httpBaseUrl() + "/sites/1/games"))
        .header("Authorization", "Bearer not-issued").GET().build();
    assertEquals(401, client.send(own, BodyHandlers.ofString()).statusCode());
    assertEquals(1, sim.journal().count("GET", GAMES));
    assertEquals(0, sim.tokenRequests().size(), "no token was fetched for it");
  }

  @Test
  void aTokenEndpointThatRefusesTheCredentialsGivesCredentialsRefusedNotA401AndNothingIsSent() throws Exception {
    sim.tokenScript().always().invalidClient();
    HttpClient throwing = AssignrHttpClient.wrap(jdk, config(true));
    CredentialsRefusedException e = assertThrows(CredentialsRefusedException.class,
        () -> throwing.send(get(), BodyHandlers.ofString()));
    assertEquals(Classification.CREDENTIALS_REFUSED, e.classification());
    assertEquals("invalid_client", e.error());
    assertEquals(0, e.status());
    assertTrue(e.getMessage().contains("invalid_client"), e.getMessage());
    AuthorizationFailure cause = assertInstanceOf(AuthorizationFailure.class, e.getCause());
    assertEquals(AuthorizationFailure.Kind.REFUSED, cause.kind());
    CredentialsRefusedException async = assertInstanceOf(CredentialsRefusedException.class, assertThrows(
        java.util.concurrent.ExecutionException.class,
        () -> throwing.sendAsync(get(), BodyHandlers.ofString()).get(20, TimeUnit.SECONDS)).getCause());
    assertEquals("invalid_client", async.error());
    assertEquals(1, sim.tokenRequests().size(), "the refusal is not asked again within maxBackoff");
    assertEquals(0, sim.journal().count("GET", GAMES), "no API request without a token");
    for (Throwable t = e; t != null; t = t.getCause()) {
      assertFalse(String.valueOf(t.getMessage()).contains("s3cret-value"), "leaked: " + t);
    }
  }

  @Test
  void theQuotaIsTheClientsSoATokenRotationKeepsTheGate() throws Exception {
    assertEquals(200, client.send(get(), BodyHandlers.ofString()).statusCode());
    String before = resilience.gates().get(0).quotaKey();
    sim.expireAllTokens();
    assertEquals(200, client.send(get(), BodyHandlers.ofString()).statusCode());
    assertEquals(1, resilience.gates().size(), "the rotated token kept the gate");
    assertEquals(before, resilience.gates().get(0).quotaKey());
    assertTrue(before.startsWith("assignr-client#"), before);
    assertFalse(before.contains("club-42"));
  }
}
