package com.assignr.resilience.redis;

import com.assignr.resilience.redis.internal.RedisRateLimitGate;
import com.assignr.resilience.testkit.GateContract;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;

/**
 * The gate contract (the testkit's {@link GateContract}, the table the in-process gate passes too)
 * on the Lua scripts, against a real redis-server. The scripts take the scenarios' virtual time as
 * an argument instead of reading {@code TIME} ({@link RedisGateStore.Builder#callersTimeForTests()}),
 * so every wait is exact. Each scenario's answers and releases, which the gate sends without
 * waiting, are settled through {@link RedisRateLimitGate#flushed()} before the next step. The store
 * waits up to 1 s for Redis, as in {@link RedisGateTest}: a timeout would degrade the gate, and the
 * contract fails any scenario in which {@code onStoreDegraded} fires.
 *
 * <p>Held places are off ({@code heldPlaces(1)}): the contract states each decision the scripts
 * make for one admission, which is what an instance holding places spends from without asking;
 * {@link HeldPlacesTest} covers what holding changes (and that it spends nothing the scripts would
 * not have admitted one by one).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RedisGateContractTest {
  static TestRedis redis;
  static RedisGateStore store;

  @BeforeAll
  static void start() {
    redis = TestRedis.start();
    store = RedisGateStore.builder().uri(redis.uri()).connectTimeout(Duration.ofSeconds(10))
        .timeout(Duration.ofSeconds(1)).heldPlaces(1).callersTimeForTests().build();
  }

  @AfterAll
  static void stop() {
    if (store != null) store.close();
    if (redis != null) redis.close();
  }

  @TestFactory
  Stream<DynamicTest> theGateContract() {
    return GateContract.of(store).settledBy(RedisGateContractTest::flushed).tests();
  }

  static void flushed(com.assignr.resilience.spi.RateLimitGate gate) {
    try {
      ((RedisRateLimitGate) gate).flushed().get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("the gate's writes were not applied within 5 s", e);
    }
  }
}
