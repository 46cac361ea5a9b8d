package com.assignr.resilience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.assignr.resilience.testkit.VirtualTime;
import io.github.resilience4j.core.functions.Either;
import io.github.resilience4j.retry.RetryConfig;
import java.io.IOException;
import java.net.ConnectException;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** The bridge's functions, called as Resilience4j's Retry calls them (without its real sleeps). */
class Resilience4jRetriesTest {
  private final AssignrResilience resilience = AssignrResilience.builder()
      .timeSource(VirtualTime.autoAdvancing()).random(() -> 0.0).build();

  @SuppressWarnings("unchecked")
  private Predicate<FakeResponse> resultPredicate(RetryConfig config) {
    return (Predicate<FakeResponse>) (Predicate<?>) config.getResultPredicate();
  }

  @Test
  void retriesWhatTheEngineRetriesForTheMethod() {
    RetryConfig get = Resilience4jRetries.retryConfig(resilience, "GET", FakeResponse.ADAPTER);
    RetryConfig post = Resilience4jRetries.retryConfig(resilience, "post", FakeResponse.ADAPTER);
    assertEquals(5, get.getMaxAttempts());
    assertTrue(resultPredicate(get).test(FakeResponse.of(500)));
    assertFalse(resultPredicate(post).test(FakeResponse.of(500)), "a POST is never replayed after a 500");
    assertTrue(resultPredicate(post).test(FakeResponse.of(429)));
    assertTrue(resultPredicate(post).test(FakeResponse.of(503)));
    assertFalse(resultPredicate(get).test(FakeResponse.of(404)));
    assertFalse(resultPredicate(get).test(FakeResponse.of(200)));
    assertTrue(get.getExceptionPredicate().test(new IOException("reset")));
    assertFalse(post.getExceptionPredicate().test(new IOException("reset")));
    assertTrue(post.getExceptionPredicate().test(new ConnectException("refused")));
  }

  @Test
  void theIntervalReadsAssignrsRateLimitHeaders() {
    RetryConfig get = Resilience4jRetries.retryConfig(resilience, "GET", FakeResponse.ADAPTER);
    @SuppressWarnings("unchecked")
    io.github.resilience4j.core.IntervalBiFunction<FakeResponse> interval =
        (io.github.resilience4j.core.IntervalBiFunction<FakeResponse>) (Object) get.getIntervalBiFunction();
    assertEquals(8_000L, interval.apply(1, Either.right(FakeResponse.of(429, "X-Ratelimit-Reset-Seconds-Remaining", "7"))));
    assertEquals(1_000L, interval.apply(2, Either.right(FakeResponse.of(503))));
    assertEquals(500L, interval.apply(1, Either.left(new IOException("reset"))));
  }

  @Test
  void aWaitPastTheCapIsNotRetried() {
    RetryConfig get = Resilience4jRetries.retryConfig(resilience, "GET", FakeResponse.ADAPTER);
    assertFalse(resultPredicate(get).test(FakeResponse.of(429, "X-Ratelimit-Reset-Seconds-Remaining", "3000")));
  }

  @Test
  void discardedResponsesAreReleasedBeforeEachRetry() {
    RetryConfig get = Resilience4jRetries.retryConfig(resilience, "GET", FakeResponse.ADAPTER);
    FakeResponse discarded = FakeResponse.of(503);
    @SuppressWarnings("unchecked")
    java.util.function.BiConsumer<Integer, FakeResponse> consumer =
        (java.util.function.BiConsumer<Integer, FakeResponse>) (Object) get.getConsumeResultBeforeRetryAttempt();
    consumer.accept(1, discarded);
    assertEquals(1, discarded.discarded.get());
  }
}
