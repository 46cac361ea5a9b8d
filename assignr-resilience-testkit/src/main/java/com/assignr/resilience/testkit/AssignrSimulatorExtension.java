package com.assignr.resilience.testkit;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Runs an {@link AssignrSimulator} for JUnit 5 tests.
 *
 * <pre>{@code
 * class GamesSyncTest {
 *   static final VirtualTime TIME = VirtualTime.autoAdvancing();   // or any java.time.Clock
 *
 *   @RegisterExtension
 *   static final AssignrSimulatorExtension SIM = AssignrSimulatorExtension.of(
 *       AssignrSimulator.builder()
 *           .clock(TIME.clock())
 *           .rateLimits(RateLimitRule.of(20, Duration.ofSeconds(2))));
 *
 *   @Test
 *   void syncs(AssignrSimulator simulator) {
 *     URI games = URI.create(simulator.baseUrl() + "/sites/1/games");
 *     // ... send it with a client built on AssignrResilience.builder().timeSource(TIME) ...
 *     assertEquals(1, SIM.journal().count("GET", "/api/v2/sites/1/games"));
 *   }
 * }
 * }</pre>
 *
 * <p>In a {@code static} field the server starts once per test class; in an instance field, once
 * per test. Before each test the simulator is {@linkplain AssignrSimulator#reset() reset} (seed
 * data, rate-limit counters, scripts, journal, stats) unless {@link #keepStateBetweenTests()} was
 * used. Test methods may take an {@link AssignrSimulator} parameter.
 */
public final class AssignrSimulatorExtension
    implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback,
        ParameterResolver {

  private final AssignrSimulator simulator;
  private final boolean resetBetweenTests;
  private boolean startedForClass;
  private boolean startedForTest;

  private AssignrSimulatorExtension(AssignrSimulator simulator, boolean resetBetweenTests) {
    this.simulator = simulator;
    this.resetBetweenTests = resetBetweenTests;
  }

  /**
   * An extension with the default simulator ({@link AssignrSimulator#builder()}).
   *
   * @return the extension
   */
  public static AssignrSimulatorExtension create() {
    return of(AssignrSimulator.builder());
  }

  /**
   * An extension for a configured simulator.
   *
   * @param builder the configuration; validated here
   * @return the extension
   */
  public static AssignrSimulatorExtension of(AssignrSimulator.Builder builder) {
    return new AssignrSimulatorExtension(builder.build(), true);
  }

  /**
   * The same extension without the reset before each test (state carries over).
   *
   * @return a new extension; register it instead of this one
   */
  public AssignrSimulatorExtension keepStateBetweenTests() {
    return new AssignrSimulatorExtension(simulator, false);
  }

  /**
   * The simulator (running during tests).
   *
   * @return the simulator
   */
  public AssignrSimulator simulator() {
    return simulator;
  }

  /**
   * Shortcut for {@code simulator().baseUrl()}.
   *
   * @return the API base URL
   */
  public String baseUrl() {
    return simulator.baseUrl();
  }

  /**
   * Shortcut for {@code simulator().journal()}.
   *
   * @return the journal
   */
  public RequestJournal journal() {
    return simulator.journal();
  }

  /**
   * Shortcut for {@code simulator().script()}.
   *
   * @return the fault script
   */
  public FaultScript script() {
    return simulator.script();
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    if (!simulator.isRunning()) {
      simulator.start();
      startedForClass = true;
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (startedForClass) {
      simulator.close();
      startedForClass = false;
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    if (!simulator.isRunning()) {
      simulator.start();
      startedForTest = true;
    } else if (resetBetweenTests) {
      simulator.reset();
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    if (startedForTest) {
      simulator.close();
      startedForTest = false;
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameterContext,
      ExtensionContext extensionContext) {
    return parameterContext.getParameter().getType() == AssignrSimulator.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameterContext,
      ExtensionContext extensionContext) {
    return simulator;
  }
}
