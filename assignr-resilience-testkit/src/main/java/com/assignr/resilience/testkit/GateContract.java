package com.assignr.resilience.testkit;

import com.assignr.resilience.spi.GateStore;
import com.assignr.resilience.spi.RateLimitGate;
import com.assignr.resilience.testkit.internal.GateScenarioRun;
import com.assignr.resilience.testkit.internal.GateTable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;

/**
 * The specification of a {@link GateStore}: what the rate-limit gates it creates must do, as a table
 * of scenarios that any store's own tests run. This project runs it on the in-process gate ({@link
 * GateStore#local()}) and on {@code assignr-resilience-redis}'s Lua scripts against a real
 * {@code redis-server}; a store of yours passes the same table or is not a gate store.
 *
 * <pre>{@code
 * class MyGateStoreContractTest {
 *   @TestFactory
 *   Stream<DynamicTest> theGateContract() {
 *     GateStore store = GateStore.local();    // your store here
 *     return GateContract.of(store).tests();  // one test per scenario
 *   }
 * }
 * }</pre>
 *
 * <h2>The table</h2>
 *
 * <p>The scenarios live in {@code gate-contract.txt} beside this class (in the testkit jar; its
 * header explains the format). Each is a timeline on a fresh gate with settings of its own:
 *
 * <pre>
 * scenario: after one 429 every caller waits for the reset plus the margin, released 20 ms apart
 * | admit                            | admitted     |                            |
 * | answer 429 remaining=0 reset=10  |              | observed, closed 11s (429) |
 * | admit                            | wait 11.020s |                            |
 * | admit                            | wait 11.040s |                            |
 * | advance 11.020s                  |              |                            |
 * | admit                            | admitted     | opened                     |
 * </pre>
 *
 * <p>A step admits ({@link RateLimitGate#tryAcquire}, with an optional longest wait), answers the
 * oldest {@link com.assignr.resilience.spi.Permit} held ({@code onResponse}, with a status and
 * rate-limit headers), learns an answer the gate did not admit ({@link RateLimitGate#learn}),
 * releases a permit ({@code release}), moves virtual time on, or reads {@link
 * RateLimitGate#state()}. What must
 * follow is exact: {@code admitted} or the wait in nanoseconds, the fields of the state that the
 * row lists, and the events the step fired on the gate's {@link com.assignr.resilience.RetryListener}
 * ({@code onGateClosed} with its duration, {@code onGateOpened}, {@code onRateLimitObserved}; a
 * store's {@code onStoreDegraded} fails any row). The rules it pins down, among others: the budget
 * and the attempts in flight, the reserve, stale answers, the margin after a reset, the cold-start
 * cap, pacing, closures and their release places, and that every closure is announced exactly once.
 *
 * <h2>Time</h2>
 *
 * <p>Each scenario runs on its own {@link VirtualTime}, given to the store as the {@link
 * GateStore.Context#time() context's time source}, and passes every step the time it has reached
 * as {@code nowNanos}. A store must follow that time while the contract runs: the in-process gate
 * does; a store with a clock of its own (Redis's {@code TIME}) needs a test option that takes the
 * callers' time instead, or the waits it answers cannot match.
 *
 * <p>A store that applies answers without waiting (the Redis store sends them and moves on) gives
 * {@link #settledBy} a way to wait until a gate has applied everything it was told: the contract
 * calls it after every step. A store may end an attempt left unanswered for longer than a lease of
 * its own; no scenario keeps one in flight longer than 30 s of virtual time.
 *
 * <p>Every scenario uses a quota key of its own ({@code gate-contract:<run>:<n>}), so a shared
 * store's state from another scenario or an earlier run never leaks in.
 */
public final class GateContract {
  private static final String TABLE = "gate-contract.txt";
  private static final List<GateTable.Scenario> SCENARIOS =
      GateTable.parse(read(), GateContract.class.getPackageName().replace('.', '/') + '/' + TABLE);
  private static final Consumer<RateLimitGate> NOTHING = gate -> {};

  private final GateStore store;
  private final Consumer<? super RateLimitGate> settle;
  private final String run = Long.toString(ThreadLocalRandom.current().nextLong() >>> 1, 36);
  private final AtomicInteger sequence = new AtomicInteger();

  private GateContract(GateStore store, Consumer<? super RateLimitGate> settle) {
    this.store = store;
    this.settle = settle;
  }

  /**
   * The contract, to run on the gates of {@code store}: one new gate (one new quota key) per
   * scenario.
   *
   * @param store the store under test
   * @return the contract for that store
   */
  public static GateContract of(GateStore store) {
    return new GateContract(Objects.requireNonNull(store, "store"), NOTHING);
  }

  /**
   * How to wait until a gate has applied every answer and release it was given, for a store that
   * applies them asynchronously; called after every step. Default: nothing to wait for.
   *
   * @param settle waits for one gate (throws if it cannot)
   * @return a contract that settles with it
   */
  public GateContract settledBy(Consumer<? super RateLimitGate> settle) {
    return new GateContract(store, Objects.requireNonNull(settle, "settle"));
  }

  /**
   * The names of the scenarios, in the table's order.
   *
   * @return every scenario's name
   */
  public static List<String> scenarios() {
    List<String> names = new ArrayList<>();
    for (GateTable.Scenario s : SCENARIOS) names.add(s.name());
    return List.copyOf(names);
  }

  /**
   * One JUnit test per scenario, named after it and linked to its line in the table, for a
   * {@code @TestFactory}.
   *
   * @return the scenarios as dynamic tests
   */
  public Stream<DynamicTest> tests() {
    return SCENARIOS.stream().map(s -> DynamicTest.dynamicTest(s.name(),
        URI.create("classpath:/" + GateContract.class.getPackageName().replace('.', '/') + '/' + TABLE + "?line=" + s.line()),
        () -> run(s)));
  }

  /**
   * Runs one scenario.
   *
   * @param name the scenario's name, as {@link #scenarios()} lists it
   * @throws AssertionError naming the first step that differs, with the timeline until then
   * @throws IllegalArgumentException if there is no such scenario
   */
  public void verify(String name) {
    for (GateTable.Scenario s : SCENARIOS) {
      if (s.name().equals(name)) {
        run(s);
        return;
      }
    }
    throw new IllegalArgumentException("no scenario named \"" + name + "\"");
  }

  /**
   * Runs every scenario, outside JUnit's dynamic tests.
   *
   * @throws AssertionError listing every scenario that failed, each with its first difference
   */
  public void verify() {
    List<AssertionError> failures = new ArrayList<>();
    for (GateTable.Scenario s : SCENARIOS) {
      try {
        run(s);
      } catch (AssertionError e) {
        failures.add(e);
      }
    }
    if (failures.isEmpty()) return;
    StringBuilder message = new StringBuilder().append(failures.size()).append(" of ").append(SCENARIOS.size())
        .append(" scenarios of the gate contract failed on ").append(store).append(":\n");
    for (AssertionError f : failures) message.append('\n').append(f.getMessage());
    AssertionError all = new AssertionError(message.toString());
    failures.forEach(all::addSuppressed);
    throw all;
  }

  private void run(GateTable.Scenario scenario) {
    String quotaKey = "gate-contract:" + run + ":" + sequence.incrementAndGet();
    GateScenarioRun.run(scenario, TABLE, store, quotaKey, settle);
  }

  private static String read() {
    try (InputStream in = GateContract.class.getResourceAsStream(TABLE)) {
      if (in == null) throw new IllegalStateException("the testkit jar lacks " + TABLE);
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public String toString() {
    return "GateContract{" + SCENARIOS.size() + " scenarios, store=" + store + '}';
  }
}
