package com.assignr.resilience.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.assignr.resilience.GatePolicy;
import com.assignr.resilience.GateState;
import com.assignr.resilience.spi.GateStore;
import com.assignr.resilience.RetryListener;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;

/**
 * The gate contract on the in-process gate ({@code LocalRateLimitGate}, core). It runs here, not in
 * core's own tests: the testkit depends on core, so core's tests cannot depend on the testkit (a
 * reactor cycle), and this is the run a store author writes too, through the public API only. What
 * only the in-process gate has (its behaviour under eight threads hammering it) stays in core's
 * {@code RateLimitGateTest}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LocalGateContractTest {

  @TestFactory
  Stream<DynamicTest> theGateContract() {
    return GateContract.of(GateStore.local()).tests();
  }

  @Test
  void theInProcessGateSaysItsStateIsLocal() {
    GateState state = GateStore.local().gate(new GateStore.Context("q", GatePolicy.defaults(), Duration.ofSeconds(1),
        VirtualTime.manual(), RetryListener.NONE)).state();
    assertEquals(GateState.Mode.LOCAL, state.mode());
  }
}
