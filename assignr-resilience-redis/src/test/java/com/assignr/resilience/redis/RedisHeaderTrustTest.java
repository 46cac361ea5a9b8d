package com.assignr.resilience.redis;

import static com.assignr.resilience.redis.RedisGateTest.MS;
import static com.assignr.resilience.redis.RedisGateTest.ROUNDING;
import static com.assignr.resilience.redis.RedisGateTest.applied;
import static com.assignr.resilience.redis.RedisGateTest.assertBetween;
import static com.assignr.resilience.redis.RedisGateTest.headers;
import static com.assignr.resilience.redis.RedisGateTest.now;

import com.assignr.resilience.GatePolicy;
import com.assignr.resilience.spi.GateStore;
import com.assignr.resilience.spi.RateLimitGate;
import com.assignr.resilience.testkit.GateDriver;
import com.assignr.resilience.RetryListener;
import com.assignr.resilience.TimeSource;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The shared gate reads a 429's headers as core's rule says (RateLimitHeaders): a Retry-After no
 * Assignr window can have closes the quota as a 429 without a reset does, for closureWithoutReset
 * (500 ms) plus the margin (1 s), against a real redis-server.
 */
@Timeout(30)
class RedisHeaderTrustTest {
  static TestRedis redis;

  @BeforeAll
  static void startRedis() {
    redis = TestRedis.start();
  }

  @AfterAll
  static void stopRedis() {
    redis.close();
  }

  /** Before: the store turned Retry-After into nanoseconds, which overflowed and threw out of the call. */
  @ParameterizedTest(name = "429 with only Retry-After {0}")
  @ValueSource(strings = {"99999999999", "9223372036854775807", "1000000000", "3661"})
  void anImplausibleRetryAfterClosesTheSharedGateAsAResetLess429(String retryAfter) throws Exception {
    try (RedisGateStore store = RedisGateStore.builder().uri(redis.uri()).connectTimeout(Duration.ofSeconds(10))
        .timeout(Duration.ofSeconds(1)).build()) {
      RateLimitGate gate = store.gate(new GateStore.Context("assignr:header-trust-" + retryAfter,
          GatePolicy.defaults(), Duration.ofSeconds(1), TimeSource.system(), RetryListener.NONE));
      long since = now();
      gate.learn(429, headers("Retry-After", retryAfter), now());
      applied(GateDriver.of(gate));
      long closure = 1500 * MS;
      assertBetween(closure - (now() - since) - ROUNDING, closure, gate.state().closedFor().toNanos());
    }
  }
}
