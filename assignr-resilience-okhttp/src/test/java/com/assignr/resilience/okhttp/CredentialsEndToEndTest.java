package com.assignr.resilience.okhttp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.assignr.resilience.AssignrResilience;
import com.assignr.resilience.Credentials;
import com.assignr.resilience.RetryListener;
import com.assignr.resilience.TokenSource;
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
    // Manual virtual time: a real token request takes real milliseconds; these calls never wait.
    VirtualTime time = VirtualTime.manual();
    TokenSource tokens = AssignrOAuth.builder(okhttp).tokenUri(sim.httpTokenUri()).clientId("club-42")
        .clientSecret("s3cret-value").allowInsecureLoopback(true).build();
    Credentials credentials = Credentials.builder(tokens).clientId("club-42").timeSource(time)
        .refreshAhead(Duration.ZERO).listener(RetryListener.NONE).build();
    resilience = AssignrResilience.builder().timeSource(time).allowInsecureLoopback(true)
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
}
