package com.assignr.resilience.testkit.internal;

import com.assignr.resilience.GateState;
import com.assignr.resilience.RateLimitInfo;
import com.assignr.resilience.RetryListener;
import com.assignr.resilience.spi.Admission;
import com.assignr.resilience.spi.GateStore;
import com.assignr.resilience.spi.HeaderLookup;
import com.assignr.resilience.spi.Permit;
import com.assignr.resilience.spi.RateLimitGate;
import com.assignr.resilience.testkit.VirtualTime;
import com.assignr.resilience.testkit.internal.GateTable.Event;
import com.assignr.resilience.testkit.internal.GateTable.Scenario;
import com.assignr.resilience.testkit.internal.GateTable.Step;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Runs one scenario of the gate contract on a fresh gate of a store: every step at the virtual
 * time the table has reached, the store settled after each, its answer and the events it fired
 * compared with the row. The first difference fails the scenario with the timeline so far.
 */
public final class GateScenarioRun {
  private final Scenario scenario;
  private final String source;
  private final VirtualTime time = VirtualTime.manual();
  private final Recorder events = new Recorder();
  private final List<String> timeline = new ArrayList<>();
  private RateLimitGate gate;
  private Consumer<? super RateLimitGate> settle;
  /** The permits of attempts the gate admitted that the table has not answered yet, oldest first. */
  private final Deque<Permit> held = new ArrayDeque<>();

  private GateScenarioRun(Scenario scenario, String source) {
    this.scenario = scenario;
    this.source = source;
  }

  /**
   * Runs {@code scenario} on a new gate of {@code store} named {@code quotaKey}.
   *
   * @throws AssertionError naming the step that differs, with what happened until then
   */
  public static void run(Scenario scenario, String source, GateStore store, String quotaKey,
      Consumer<? super RateLimitGate> settle) {
    new GateScenarioRun(scenario, source).run(store, quotaKey, settle);
  }

  private void run(GateStore store, String quotaKey, Consumer<? super RateLimitGate> settle) {
    this.settle = settle;
    gate = store.gate(new GateStore.Context(quotaKey, scenario.policy(), scenario.margin(), time, events));
    if (gate == null) throw new AssertionError(store + " returned no gate");
    try {
      for (Step step : scenario.steps()) {
        for (int i = 0; i < step.times(); i++) perform(step);
      }
    } finally {
      // Every permit is answered, as the SPI asks of callers: what the table left open is released.
      for (Permit p; (p = held.poll()) != null; ) p.release();
      settle.accept(gate);
    }
  }

  private void perform(Step step) {
    events.clear();
    long now = time.nanoTime();
    String result = "";
    switch (step.kind()) {
      case ADMIT: {
        Admission answer = gate.tryAcquire(now, step.nanos());
        if (answer == null) throw new AssertionError(gate + " answered tryAcquire with null");
        long wait = 0;
        if (answer instanceof Permit) held.add((Permit) answer);
        else wait = ((Admission.Wait) answer).nanos();
        result = wait == 0 ? "admitted" : "wait " + GateTable.formatDuration(wait);
        settle.accept(gate);
        record(step, result);
        if (wait != step.expectedWait()) {
          fail(step, "tryAcquire answered " + result + ", the contract says "
              + (step.expectedWait() == 0 ? "admitted" : "wait " + GateTable.formatDuration(step.expectedWait())));
        }
        break;
      }
      case ANSWER:
        oldestPermit(step).onResponse(step.status(), info(step.headers()), now);
        settle.accept(gate);
        record(step, result);
        break;
      case LEARN:
        gate.learn(step.status(), info(step.headers()), now);
        settle.accept(gate);
        record(step, result);
        break;
      case RELEASE:
        oldestPermit(step).release();
        settle.accept(gate);
        record(step, result);
        break;
      case ADVANCE:
        time.advance(Duration.ofNanos(step.nanos()));
        record(step, result);
        break;
      case STATE: {
        settle.accept(gate);
        GateState state = gate.state();
        Map<String, String> actual = fields(state);
        StringJoiner shown = new StringJoiner(" ");
        StringJoiner wrong = new StringJoiner(", ");
        for (Map.Entry<String, String> expected : step.state().entrySet()) {
          String value = actual.get(expected.getKey());
          shown.add(expected.getKey() + "=" + value);
          if (!value.equals(expected.getValue())) {
            wrong.add(expected.getKey() + " is " + value + ", the contract says " + expected.getValue());
          }
        }
        result = shown.toString();
        record(step, result);
        if (wrong.length() > 0) fail(step, "state(): " + wrong + " (all of it: " + describe(actual) + ")");
        break;
      }
      default:
        throw new IllegalStateException(step.kind().toString());
    }
    checkEvents(step);
  }

  private Permit oldestPermit(Step step) {
    Permit permit = held.poll();
    if (permit == null) {
      throw new IllegalStateException(source + " line " + step.line() + ": the table " + step.text()
          + "s an attempt, but no permit is held");
    }
    return permit;
  }

  private void checkEvents(Step step) {
    List<Event> actual = events.snapshot();
    List<Event> expectedOrdered = new ArrayList<>();
    int expectedObserved = 0;
    for (Event e : step.events()) {
      if (e == Event.OBSERVED) expectedObserved++;
      else expectedOrdered.add(e);
    }
    List<Event> actualOrdered = new ArrayList<>();
    int actualObserved = 0;
    for (Event e : actual) {
      if (e.type().equals("observed")) actualObserved++;
      else actualOrdered.add(e);
    }
    boolean same = expectedObserved == actualObserved && expectedOrdered.size() == actualOrdered.size();
    for (int i = 0; same && i < expectedOrdered.size(); i++) same = matches(expectedOrdered.get(i), actualOrdered.get(i));
    timeline.set(timeline.size() - 1, timeline.get(timeline.size() - 1) + describe(actual));
    if (!same) {
      fail(step, "the events were " + (actual.isEmpty() ? "none" : actual.toString()) + ", the contract says "
          + (step.events().isEmpty() ? "none" : step.events().toString()));
    }
  }

  private static boolean matches(Event expected, Event actual) {
    if (!expected.type().equals(actual.type())) return false;
    if (!expected.type().equals("closed")) return true;
    return expected.nanos() == actual.nanos()
        && actual.reason().toLowerCase(Locale.ROOT).contains(expected.reason());
  }

  private void record(Step step, String result) {
    timeline.add(String.format(Locale.ROOT, "  %9s  line %-4d %-40s %s", GateTable.formatDuration(time.nanoTime()),
        step.line(), step.text(), result.isEmpty() ? "" : "-> " + result));
  }

  private static String describe(List<Event> events) {
    return events.isEmpty() ? "" : "  " + events;
  }

  private void fail(Step step, String what) {
    StringBuilder message = new StringBuilder()
        .append("Gate contract, scenario \"").append(scenario.name()).append("\" (").append(source)
        .append(" line ").append(scenario.line()).append("), on ").append(gate.getClass().getSimpleName())
        .append(":\n  line ").append(step.line()).append(" `").append(step.text()).append("`: ").append(what)
        .append("\nThe scenario until then (virtual time, step, result, events):\n");
    for (String line : timeline) message.append(line).append('\n');
    throw new AssertionError(message.toString());
  }

  private static Map<String, String> fields(GateState s) {
    Map<String, String> fields = new TreeMap<>();
    fields.put("closedFor", GateTable.formatField("closedFor", 0, s.closedFor()));
    fields.put("remaining", GateTable.formatField("remaining", s.remaining(), null));
    fields.put("untilReset", GateTable.formatField("untilReset", 0, s.untilReset()));
    fields.put("limit", GateTable.formatField("limit", s.limit(), null));
    fields.put("period", GateTable.formatField("period", s.periodSeconds(), null));
    fields.put("inFlight", GateTable.formatField("inFlight", s.inFlight(), null));
    return fields;
  }

  private static String describe(Map<String, String> fields) {
    StringJoiner all = new StringJoiner(" ");
    for (String field : GateTable.stateFields()) all.add(field + "=" + fields.get(field));
    return all.toString();
  }

  private static RateLimitInfo info(Map<String, String> headers) {
    HeaderLookup lookup = name -> {
      for (Map.Entry<String, String> h : headers.entrySet()) {
        if (h.getKey().equalsIgnoreCase(name)) return h.getValue();
      }
      return null;
    };
    return RateLimitInfo.from(lookup);
  }

  /** The gate's events, as the table names them; a store's own events too, which must not fire. */
  private static final class Recorder implements RetryListener {
    private final List<Event> events = new ArrayList<>();

    synchronized void clear() {
      events.clear();
    }

    synchronized List<Event> snapshot() {
      return List.copyOf(events);
    }

    @Override
    public synchronized void onRateLimitObserved(String quotaKey, RateLimitInfo info) {
      events.add(Event.OBSERVED);
    }

    @Override
    public synchronized void onGateClosed(String quotaKey, Duration closedFor, String reason) {
      events.add(new Event("closed", closedFor.toNanos(), reason));
    }

    @Override
    public synchronized void onGateOpened(String quotaKey) {
      events.add(Event.OPENED);
    }

    @Override
    public synchronized void onStoreDegraded(String quotaKey, Throwable cause) {
      events.add(new Event("degraded (" + cause + ")", 0, null));
    }

    @Override
    public synchronized void onStoreRecovered(String quotaKey) {
      events.add(new Event("recovered", 0, null));
    }
  }
}
