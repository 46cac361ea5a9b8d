package com.assignr.resilience.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.assignr.resilience.spi.GateStore;
import com.assignr.resilience.RetryListener;
import com.assignr.resilience.testkit.internal.GateTable;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The gate contract's runner and table: a store that breaks a rule fails, and says where. */
class GateContractTest {

  /** The in-process gate, told a release spacing of 10 ms whatever the policy says. */
  private static final GateStore WRONG_SPACING = context -> GateStore.local().gate(new GateStore.Context(
      context.quotaKey(), context.policy().toBuilder().releaseSpacing(Duration.ofMillis(10)).build(),
      context.rateLimitMargin(), context.time(), context.listener()));

  /** The in-process gate, whose listener never hears that a gate opened. */
  private static final GateStore SILENT_OPENINGS = context -> GateStore.local().gate(new GateStore.Context(
      context.quotaKey(), context.policy(), context.rateLimitMargin(), context.time(), new RetryListener() {
        @Override public void onGateClosed(String quotaKey, Duration closedFor, String reason) {
          context.listener().onGateClosed(quotaKey, closedFor, reason);
        }
        @Override public void onRateLimitObserved(String quotaKey, com.assignr.resilience.RateLimitInfo info) {
          context.listener().onRateLimitObserved(quotaKey, info);
        }
      }));

  @Test
  void aStoreThatSpacesItsReleasesWronglyFailsTheScenariosOfReleasePlaces_sayingWhere() {
    AssertionError e = assertThrows(AssertionError.class,
        () -> GateContract.of(WRONG_SPACING).verify("after one 429 every caller waits for the reset plus the margin, released 20 ms apart"));
    assertTrue(e.getMessage().contains("`admit`: tryAcquire answered wait 11.010s, the contract says wait 11.020s"), e.getMessage());
    assertTrue(e.getMessage().contains("gate-contract.txt line "), e.getMessage());
    assertTrue(e.getMessage().contains("answer 429 remaining=0 reset=10"), "the timeline until then: " + e.getMessage());
  }

  @Test
  void verifyListsEveryScenarioThatFails_andOnlyThose() throws Exception {
    AssertionError e = assertThrows(AssertionError.class, () -> GateContract.of(SILENT_OPENINGS).verify());
    long failed = e.getSuppressed().length;
    assertTrue(e.getMessage().startsWith(failed + " of " + GateContract.scenarios().size() + " scenarios"), e.getMessage());
    for (Throwable f : e.getSuppressed()) {
      assertTrue(f.getMessage().contains("the contract says [opened") || f.getMessage().contains(", opened"),
          "only scenarios in which a gate opens fail: " + f.getMessage());
    }
    assertEquals(scenariosWith(GateTable.Event.OPENED), failed, e.getMessage());
  }

  /** How many scenarios of the table expect {@code event} somewhere. */
  private static long scenariosWith(GateTable.Event event) throws java.io.IOException {
    String table;
    try (java.io.InputStream in = GateContract.class.getResourceAsStream("gate-contract.txt")) {
      table = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
    return GateTable.parse(table, "gate-contract.txt").stream()
        .filter(s -> s.steps().stream().anyMatch(step -> step.events().contains(event))).count();
  }

  @Test
  void theInProcessGatePassesEveryScenario_andEachRunsOnAGateOfItsOwn() {
    AtomicInteger gates = new AtomicInteger();
    GateStore counting = context -> {
      gates.incrementAndGet();
      return GateStore.local().gate(context);
    };
    AtomicInteger settled = new AtomicInteger();
    GateContract.of(counting).settledBy(gate -> settled.incrementAndGet()).verify();
    assertEquals(GateContract.scenarios().size(), gates.get());
    assertTrue(settled.get() > 200, "settled after every step: " + settled.get());
  }

  @Test
  void anUnknownScenarioIsAnError() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> GateContract.of(GateStore.local()).verify("no such thing"));
    assertEquals("no scenario named \"no such thing\"", e.getMessage());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = ';', value = {
      "| admit | soon | |; line 2: admit's result is admitted or wait D",
      "| admit | wait 0 | |; line 2: a wait is positive; say admitted",
      "| learn 200 resets=10 | | |; line 2: unknown header resets",
      "| advance 3 | | |; line 2: a duration needs a unit: 3",
      "| advance 1.0000000001s | | |; line 2: not a whole number of nanoseconds",
      "| state | remaining=-1 | |; line 2: remaining is not negative; say unknown",
      "| learn 429 | | closed 1s |; line 2: unknown event closed 1s",
      "| admit | admitted |; line 2: a step has three cells",
  })
  void aMistakeInTheTableNamesItsLine(String step, String message) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> GateTable.parse("scenario: one\n" + step + "\n", "t.txt"));
    assertTrue(e.getMessage().startsWith("t.txt " + message), e.getMessage());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"11.020s, 11020000000", "50ms, 50000000", "1.5s, 1500000000", "0, 0", "86401s, 86401000000000",
      "1us, 1000", "7ns, 7"})
  void durationsAreReadExactly_andWrittenAsTheTableWritesThem(String text, long nanos) {
    assertEquals(nanos, GateTable.duration(text));
    assertEquals(nanos, GateTable.duration(GateTable.formatDuration(nanos)));
  }

  @Test
  void everyScenarioHasAName_andTheTableReadsAsAWhole() {
    List<String> names = GateContract.scenarios();
    assertTrue(names.size() >= 25, names.toString());
    assertEquals(names.size(), names.stream().distinct().count(), "names are unique");
  }
}
