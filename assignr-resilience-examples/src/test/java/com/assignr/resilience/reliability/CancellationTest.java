package com.assignr.resilience.reliability;

import static com.assignr.resilience.reliability.Rig.GAMES;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.assignr.resilience.AssignrResilience;
import com.assignr.resilience.RateLimitInfo;
import com.assignr.resilience.RetryListener;
import com.assignr.resilience.spi.RateLimitGate;
import com.assignr.resilience.reliability.Rig.Adapter;
import com.assignr.resilience.reliability.Rig.CallSpec;
import com.assignr.resilience.reliability.Rig.Mode;
import com.assignr.resilience.reliability.Rig.Result;
import com.assignr.resilience.testkit.VirtualTime;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Cancelling a call while it waits in the gate, while it waits out a backoff, and while its
 * attempt is in flight, through every adapter, sync and async: the call ends promptly and nothing
 * more is sent, even after virtual time has moved past every wait. The real time from cancel() to
 * the end of the call is written to {@code target/reliability-cancellation.md}.
 */
@Timeout(60)
class CancellationTest {
  /** A generous bound: the figures are reported, not asserted tightly. */
  static final long PROMPT_MILLIS = 5_000;

  enum Phase { GATE_WAIT, BACKOFF, IN_FLIGHT }

  static Rig rig;
  static final Map<String, Map<String, String>> table = new TreeMap<>();

  @BeforeAll
  static void start() {
    rig = Rig.standard();
  }

  @AfterAll
  static void report() throws IOException {
    try {
      StringBuilder md = new StringBuilder("| cancelled during |");
      for (Adapter a : Adapter.values()) for (Mode m : Mode.values()) md.append(' ').append(a.label).append(' ').append(m.name().toLowerCase()).append(" |");
      md.append("\n|---|");
      for (int i = 0; i < 6; i++) md.append("---|");
      md.append('\n');
      table.forEach((phase, row) -> {
        md.append("| ").append(phase).append(" |");
        for (Adapter a : Adapter.values()) for (Mode m : Mode.values()) md.append(' ').append(row.getOrDefault(a + " " + m, "–")).append(" |");
        md.append('\n');
      });
      Path out = Path.of("target", "reliability-cancellation.md");
      Files.createDirectories(out.getParent());
      Files.writeString(out, md.toString());
    } finally {
      rig.close();
    }
  }

  static Stream<Arguments> cases() {
    List<Arguments> all = new ArrayList<>();
    for (Phase p : Phase.values()) for (Adapter a : Adapter.values()) for (Mode m : Mode.values()) all.add(Arguments.of(p, a, m));
    return all.stream();
  }

  @ParameterizedTest(name = "{0} via {1} {2}")
  @MethodSource("cases")
  void cancelEndsTheCallPromptlyAndNothingMoreIsSent(Phase phase, Adapter adapter, Mode mode) throws Exception {
    VirtualTime time = VirtualTime.manual();
    rig.reset(time);
    AssignrResilience.Builder config = rig.config(time, RetryListener.NONE);
    if (phase == Phase.GATE_WAIT) {
      // another caller's 429 closed the gate for 30 s before this call asks it
      config.gateStore(context -> {
        RateLimitGate gate = RateLimitGate.local(context);
        gate.learn(429, RateLimitInfo.from(name -> name.equalsIgnoreCase(RateLimitInfo.RESET_SECONDS_REMAINING) ? "30" : null),
            context.time().nanoTime());
        return gate;
      });
    }
    AssignrResilience resilience = config.build();
    Rig.Caller caller = rig.caller(adapter, mode, resilience);
    switch (phase) {
      case GATE_WAIT: // closed by the gate store above
        break;
      case BACKOFF:
        rig.sim.script().serviceUnavailable(1);
        break;
      default: // the server takes 3 s (real time) to answer
        rig.sim.script().delay(Duration.ofSeconds(3), 1);
    }
    int sentBefore = phase == Phase.GATE_WAIT ? 0 : 1;

    Rig.Started call = caller.start(CallSpec.get(GAMES));
    if (phase == Phase.IN_FLIGHT) {
      Rig.require(() -> rig.sim.journal().count() == 1, 10, "the attempt reached the server");
    } else {
      boolean waiting = Rig.schedules(adapter, mode) ? time.awaitScheduled(1, Duration.ofSeconds(10))
          : time.awaitSleepers(1, Duration.ofSeconds(10));
      assertTrue(waiting, "the call waits");
    }
    assertEquals(sentBefore, rig.sim.journal().count());

    long cancelledAt = System.nanoTime();
    call.cancel();
    Result result = call.result().get(10, TimeUnit.SECONDS);
    long micros = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - cancelledAt);

    Throwable error = result.error();
    assertNotNull(error, result::toString);
    assertTrue(error instanceof InterruptedIOException || error instanceof CancellationException
        || error instanceof InterruptedException, () -> "a cancellation, not " + error);
    assertTrue(micros / 1000 < PROMPT_MILLIS, "ended " + micros / 1000 + " ms after cancel()");
    Rig.require(() -> time.pendingTasks() == 0 && time.sleepingThreads() == 0, 10, "waits withdrawn");
    time.advance(Duration.ofMinutes(5));
    Rig.require(() -> rig.ok.dispatcher().runningCallsCount() == 0, 10, "no OkHttp call running");
    assertEquals(sentBefore, rig.sim.journal().count(), "nothing was sent after cancel()");
    String cell = String.format("%.1f ms", micros / 1000.0) + " (" + error.getClass().getSimpleName() + ")";
    synchronized (table) {
      table.computeIfAbsent(phase.ordinal() + " " + phase.name().toLowerCase().replace('_', ' '), k -> new TreeMap<>())
          .put(adapter + " " + mode, cell);
    }
  }
}
