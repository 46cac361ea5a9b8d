package com.assignr.resilience.okhttp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.assignr.resilience.AssignrResilience;
import com.assignr.resilience.Classification;
import com.assignr.resilience.CredentialsRefusedException;
import com.assignr.resilience.oauth.AssignrOAuth;
import com.assignr.resilience.oauth.Credentials;
import com.assignr.resilience.RetryListener;
import com.assignr.resilience.testkit.VirtualTime;
import com.assignr.resilience.testkit.AssignrSimulator;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The library's OAuth tokens through the interceptor and the call factory, on the simulator. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CredentialsEndToEndTest {
  private static final String GAMES = "/api/v2/sites/1/games";

  private AssignrSimulator sim;
  private OkHttpClient okhttp;
  private AssignrResilience resilience;

  @BeforeEach
  void start() {
    sim = AssignrSimulator.builder().rateLimits(List.of()).oauthClient("club-42", "s3cret-value")
        .requireIssuedTokens(true).start();
    okhttp = new OkHttpClient();
    resilience = withSecret("s3cret-value");
  }

  private AssignrResilience withSecret(String secret) {
    // Manual virtual time: a real token request takes real milliseconds; these calls never wait.
    VirtualTime time = VirtualTime.manual();
    Credentials credentials = AssignrOAuth.builder().clientId("club-42").clientSecret(secret)
        .tokenUri(sim.httpTokenUri()).allowInsecureLoopback(true).transport(OkHttpTokenTransport.of(okhttp))
        .timeSource(time).refreshAhead(Duration.ZERO).build();
    return AssignrResilience.builder().timeSource(time).allowInsecureLoopback(true)
        .listener(RetryListener.NONE).credentials(credentials).build();
  }

  @AfterEach
  void stop() {
    okhttp.connectionPool().evictAll();
    sim.close();
  }

  private Call.Factory factory(boolean interceptor) {
    return interceptor
        ? okhttp.newBuilder().addInterceptor(AssignrInterceptor.create(resilience)).build()
        : AssignrCallFactory.create(okhttp, resilience);
  }

  private static int status(Call call) throws IOException {
    try (Response response = call.execute()) {
      return response.code();
    }
  }

  @ParameterizedTest(name = "interceptor={0}")
  @ValueSource(booleans = {true, false})
  void tokensAreAddedAndA401RefreshesOnceAndResendsTheWriteOnce(boolean interceptor) throws IOException {
    Call.Factory calls = factory(interceptor);
    Request get = new Request.Builder().url(sim.httpBaseUrl() + "/sites/1/games").build();
    assertEquals(200, status(calls.newCall(get)));
    assertEquals(200, status(calls.newCall(get)));
    assertEquals(1, sim.tokenRequests().size(), "one token for both calls");

    sim.expireAllTokens();
    Request post = new Request.Builder().url(sim.httpBaseUrl() + "/sites/1/games")
        .post(RequestBody.create("{\"game\":{\"date\":\"2027-01-01\",\"start_time\":\"10:00\"}}",
            MediaType.get("application/json"))).build();
    assertEquals(201, status(calls.newCall(post)));
    assertEquals(2, sim.tokenRequests().size(), "one refresh");
    assertEquals(2, sim.journal().count("POST", GAMES), "the 401 and the resend");
    assertEquals(1, sim.journal().countProcessed("POST", GAMES), "one game created");
  }

  @ParameterizedTest(name = "interceptor={0}")
  @ValueSource(booleans = {true, false})
  void wrongCredentialsFailEveryCallTypedAsRefused_withOneTokenRequest(boolean interceptor) {
    resilience = withSecret("not-the-secret");
    Call.Factory calls = factory(interceptor);
    Request get = new Request.Builder().url(sim.httpBaseUrl() + "/sites/1/games").build();
    for (int i = 0; i < 20; i++) {
      CredentialsRefusedException e = assertThrows(CredentialsRefusedException.class, () -> status(calls.newCall(get)));
      assertEquals(Classification.CREDENTIALS_REFUSED, e.classification());
      assertTrue(e.error() != null && e.error().startsWith("invalid_"), e.error());
      assertTrue(e.getMessage().contains(e.error()), e.getMessage());
      assertEquals(0, e.status(), "Assignr never saw the call");
    }
    assertEquals(1, sim.tokenRequests().size(), "a refusal is not retried on a backoff");
    assertEquals(0, sim.journal().count("GET", GAMES), "nothing was sent without a token");
  }
}
