package com.assignr.resilience;

import com.assignr.resilience.spi.CallOptions;
import com.assignr.resilience.spi.RateLimitGate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.assignr.resilience.testkit.VirtualTime;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.io.IOException;
import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CircuitBreakerTest {
  static final URI GAMES = URI.create("https://api.assignr.com/api/v2/games");
  private final VirtualTime time = VirtualTime.autoAdvancing();
  private final CircuitBreaker breaker = CircuitBreaker.of("assignr", CircuitBreakerConfig.custom()
      .slidingWindowSize(4).minimumNumberOfCalls(4).failureRateThreshold(50).build());
  private final AssignrResilience resilience = AssignrResilience.builder().timeSource(time).random(() -> 0.0)
      .listener(RetryListener.NONE).circuitBreaker(breaker)
      .policy(RetryPolicy.builder().maxAttempts(1).build()).build();
  private final AtomicInteger sent = new AtomicInteger();

  private FakeResponse call(int status, String... headers) throws IOException {
    return resilience.executor().execute(RequestInfo.of("GET", GAMES, true), CallOptions.none(), n -> {
      sent.incrementAndGet();
      return FakeResponse.of(status, headers);
    }, FakeResponse.ADAPTER);
  }

  @Test
  void a429IsThrottlingAndNeverTripsTheBreaker() throws IOException {
    for (int i = 0; i < 20; i++) call(429, "X-Ratelimit-Reset-Seconds-Remaining", "1");
    assertEquals(CircuitBreaker.State.CLOSED, breaker.getState());
    assertEquals(0, breaker.getMetrics().getNumberOfFailedCalls());
    assertEquals(0, breaker.getMetrics().getNumberOfSuccessfulCalls(), "a 429 is not recorded at all");
  }

  @Test
  void withABreakerAndAGateEveryAdmittedAttemptIsAccountedForOnce() throws IOException {
    RateLimitGate gate = resilience.gateFor(RequestInfo.of("GET", GAMES, true), "Bearer t");
    for (int i = 0; i < 5; i++) {
      resilience.executor().execute(RequestInfo.of("GET", GAMES, true), CallOptions.none().withCredentials("Bearer t"),
          ctx -> FakeResponse.of(200, "X-Ratelimit-Remaining", "150", "X-Ratelimit-Reset-Seconds-Remaining", "30"),
          FakeResponse.ADAPTER);
    }
    assertEquals(0, gate.state().inFlight(), "no admission leaked");
    assertEquals(4, breaker.getMetrics().getNumberOfSuccessfulCalls(), "all successes (a window of four)");
  }

  @Test
  void clientErrorsAreNotFailuresOfTheService() throws IOException {
    for (int status : new int[] {400, 401, 403, 404, 409, 422}) call(status);
    assertEquals(CircuitBreaker.State.CLOSED, breaker.getState());
    assertEquals(0, breaker.getMetrics().getNumberOfFailedCalls());
  }

  @Test
  void serverErrorsOpenItAndAnOpenBreakerFailsFastWithoutSending() throws IOException {
    for (int i = 0; i < 4; i++) call(i % 2 == 0 ? 500 : 503);
    assertEquals(CircuitBreaker.State.OPEN, breaker.getState());
    int before = sent.get();
    CircuitOpenException e = assertThrows(CircuitOpenException.class, () -> call(200));
    assertEquals(before, sent.get(), "nothing was sent");
    assertEquals(StopReason.CIRCUIT_OPEN, e.stopReason());
    assertTrue(e.getMessage().contains("circuit breaker is open"), e.getMessage());
  }
}
