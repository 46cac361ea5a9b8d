package com.assignr.resilience.jdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.assignr.resilience.AssignrResilience;
import com.assignr.resilience.testkit.VirtualTime;
import com.assignr.resilience.testkit.AssignrSimulator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpResponse.PushPromiseHandler;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The production shape: HTTPS-only (plain HTTP refused even on loopback), the JDK's default
 * HTTP/2-capable client over TLS; and the push-promise variant of {@code sendAsync}.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class HttpsAndPushTest {
  static AssignrSimulator sim;
  static HttpClient tls;

  @BeforeAll
  static void start() {
    sim = AssignrSimulator.builder().httpsOnly(true).rateLimits(List.of()).start();
    tls = HttpClient.newBuilder().sslContext(sim.sslContext()).build();
  }

  @AfterAll
  static void stop() {
    sim.close();
  }

  static HttpRequest games() {
    return HttpRequest.newBuilder(URI.create(sim.httpsBaseUrl() + "/sites/1/games"))
        .header("Authorization", "Bearer tls-token").build();
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void retriesA503OverTls(Mode mode) throws Exception {
    sim.reset();
    VirtualTime vt = VirtualTime.autoAdvancing();
    HttpClient client = AssignrHttpClient.wrap(tls, AssignrResilience.builder().timeSource(vt)
        .random(() -> 0.0).listener(SimulatorTestBase.QUIET).build());
    sim.script().serviceUnavailable(1);

    HttpResponse<String> response = mode.call(client, games(), BodyHandlers.ofString());

    assertEquals(200, response.statusCode());
    assertEquals(2, sim.journal().count("GET", "/api/v2/sites/1/games"));
    assertTrue(sim.journal().entries().stream().allMatch(e -> e.scheme().equals("https")));
    assertTrue(response.sslSession().isPresent());
  }

  @Test
  void aPushPromiseHandlerGetsOneAttemptWithoutRetries() throws Exception {
    sim.reset();
    VirtualTime vt = VirtualTime.autoAdvancing();
    HttpClient client = AssignrHttpClient.wrap(tls, AssignrResilience.builder().timeSource(vt)
        .listener(SimulatorTestBase.QUIET).build());
    sim.script().serviceUnavailable(1);
    PushPromiseHandler<String> ignorePushes = (initiating, pushed, acceptor) -> { };

    HttpResponse<String> response = client.sendAsync(games(), BodyHandlers.ofString(), ignorePushes)
        .get(10, TimeUnit.SECONDS);

    assertEquals(503, response.statusCode(), "sent once, not retried");
    assertEquals(1, sim.journal().count());
    assertTrue(response.request().headers().firstValue("Accept").isPresent(), "headers still added");
    assertEquals(List.of(), vt.scheduledDelays());
  }
}
