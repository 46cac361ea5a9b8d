package com.assignr.resilience.reliability;

import static com.assignr.resilience.reliability.Rig.API;
import static com.assignr.resilience.reliability.Rig.CONFIRM;
import static com.assignr.resilience.reliability.Rig.GAMES;
import static com.assignr.resilience.reliability.Rig.SECRET;
import static com.assignr.resilience.reliability.Rig.SECRET_QUERY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.assignr.resilience.AssignrException;
import com.assignr.resilience.AssignrResilience;
import com.assignr.resilience.RateLimitedException;
import com.assignr.resilience.ServerErrorException;
import com.assignr.resilience.StopReason;
import com.assignr.resilience.TransportException;
import com.assignr.resilience.reliability.Rig.Adapter;
import com.assignr.resilience.reliability.Rig.CallSpec;
import com.assignr.resilience.testing.CapturingLogger;
import com.assignr.resilience.reliability.Rig.EventLog;
import com.assignr.resilience.reliability.Rig.Mode;
import com.assignr.resilience.reliability.Rig.Result;
import com.assignr.resilience.testkit.VirtualTime;
import com.assignr.resilience.testkit.AssignrSimulator;
import com.assignr.resilience.testkit.JournalEntry;
import com.assignr.resilience.testkit.ScriptedResponse;
import com.github.tomakehurst.wiremock.http.Fault;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.stream.Stream;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The fault matrix of issue 7: every adapter, sync and async, GET and POST, against every fault
 * the simulator can throw. Each cell checks the outcome the rules call for, the number of times
 * the request reached the server, that every wait was bounded, that no connection or body leaked,
 * and that the credential appears in no log line, event or exception. The results are written to
 * {@code target/reliability-matrix.md}.
 */
@Timeout(120)
class FaultMatrixTest {
  /** The client-side timeout used by the read-timeout cell; the server waits longer. */
  static final Duration CLIENT_TIMEOUT = Duration.ofMillis(300);
  static final Duration SERVER_DELAY = Duration.ofMillis(900);
  static final String RESET_SECONDS = "X-Ratelimit-Reset-Seconds-Remaining";
  static final String RESET = "X-Ratelimit-Reset";

  /** What the server does to the next request(s). */
  enum Scenario {
    CONNECTION_RESET("connection reset by peer (x2)", s -> s.script().fault(Fault.CONNECTION_RESET_BY_PEER, 2)),
    EMPTY_RESPONSE("empty response (x2)", s -> s.script().fault(Fault.EMPTY_RESPONSE, 2)),
    MALFORMED_CHUNK("malformed response chunk (x2)", s -> s.script().fault(Fault.MALFORMED_RESPONSE_CHUNK, 2)),
    RANDOM_DATA("random data, then close (x2)", s -> s.script().fault(Fault.RANDOM_DATA_THEN_CLOSE, 2)),
    READ_TIMEOUT("900 ms delay, 300 ms client timeout", s -> s.script().delay(SERVER_DELAY, 1)),
    BURST_503("503 burst (x3)", s -> s.script().serviceUnavailable(3)),
    STORM_500("500 storm (x10)", s -> s.script().next(10).respondStatus(500)),
    RATE_LIMITED_NON_NUMERIC("429, reset headers non-numeric", s -> s.script().respond(
        ScriptedResponse.status(429).header(RESET_SECONDS, "soon").header(RESET, "tomorrow"))),
    RATE_LIMITED_NEGATIVE("429, reset headers negative", s -> s.script().respond(
        ScriptedResponse.status(429).header(RESET_SECONDS, "-30").header(RESET, "-1700000000"))),
    RATE_LIMITED_PAST("429, Reset in the past", s -> s.script().respond(
        ScriptedResponse.status(429).withoutHeader(RESET_SECONDS)
            .header(RESET, Long.toString(s.clock().instant().getEpochSecond() - 120)))),
    RATE_LIMITED_HUGE("429, reset headers 10^12", s -> s.script().respond(
        ScriptedResponse.status(429).header(RESET_SECONDS, "1000000000000").header(RESET, "1000000000000"))),
    RATE_LIMITED_MISSING("429, reset headers missing", s -> s.script().respond(
        ScriptedResponse.status(429).withoutHeader(RESET_SECONDS).withoutHeader(RESET))),
    RATE_LIMITED_HOUR("429, reset in 3600 s", s -> s.script().respond(
        ScriptedResponse.status(429).header(RESET_SECONDS, "3600"))),
    UNAVAILABLE_FOR_A_DAY("503, Retry-After 86400 s", s -> s.script().respond(
        ScriptedResponse.status(503).header("Retry-After", "86400"))),
    // Issue 18: one absurd header must not outvote a plausible one; only all absurd is a give-up.
    RATE_LIMITED_ABSURD_SECONDS("429, Seconds-Remaining 10^9, Reset = Date + 5 s", s -> s.script().respond(
        ScriptedResponse.status(429).header(RESET_SECONDS, "1000000000").header(RESET, resetIn(s, 5)))),
    RATE_LIMITED_UNREPRESENTABLE_SECONDS("429, Seconds-Remaining of 30 digits, Reset = Date + 5 s",
        s -> s.script().respond(ScriptedResponse.status(429).header(RESET_SECONDS, "9".repeat(30))
            .header(RESET, resetIn(s, 5)))),
    RATE_LIMITED_ALL_ABSURD("429, every header absurd (10^9 s, Reset 10^12, Retry-After 10^9 s)",
        s -> s.script().respond(ScriptedResponse.status(429).header(RESET_SECONDS, "1000000000")
            .header(RESET, "1000000000000").header("Retry-After", "1000000000"))),
    RATE_LIMITED_RETRY_AFTER_OVERFLOW("429, only Retry-After 10^11 s (its nanoseconds overflow)",
        s -> s.script().respond(ScriptedResponse.status(429).withoutRateLimitHeaders()
            .header("Retry-After", "100000000000")));

    final String label;
    final Consumer<AssignrSimulator> script;

    Scenario(String label, Consumer<AssignrSimulator> script) {
      this.label = label;
      this.script = script;
    }

    /** A 429 whose headers give no usable reset: retried after capped backoff. */
    boolean malformed429() {
      return this == RATE_LIMITED_NON_NUMERIC || this == RATE_LIMITED_NEGATIVE || this == RATE_LIMITED_PAST
          || this == RATE_LIMITED_MISSING;
    }

    /** A 429 with one absurd header and a plausible Reset 5 s after Date: waited out. */
    boolean plausibleResetWins() {
      return this == RATE_LIMITED_ABSURD_SECONDS || this == RATE_LIMITED_UNREPRESENTABLE_SECONDS;
    }

    /** For a give-up at once: how far from the start its retryAt must be. */
    Duration retryAtFromStart(Duration margin) {
      switch (this) {
        case RATE_LIMITED_HOUR: return Duration.ofSeconds(3600).plus(margin);
        case RATE_LIMITED_HUGE: return Duration.ofSeconds(1_000_000_000_000L).plus(margin);
        case RATE_LIMITED_ALL_ABSURD: return Duration.ofSeconds(1_000_000_000L).plus(margin);
        case RATE_LIMITED_RETRY_AFTER_OVERFLOW: return Duration.ofSeconds(100_000_000_000L).plus(margin);
        case UNAVAILABLE_FOR_A_DAY: return Duration.ofSeconds(86400);
        default: throw new AssertionError(this + " does not give up at once");
      }
    }
  }

  /** {@code X-Ratelimit-Reset}: the epoch second {@code seconds} after the simulator's {@code Date}. */
  static String resetIn(AssignrSimulator s, long seconds) {
    return Long.toString(s.clock().instant().getEpochSecond() + seconds);
  }

  /** What a cell must produce. */
  record Expect(Class<? extends Throwable> failure, StopReason stop, int arrivals, boolean bodyReadFails) {
    static Expect ok(int arrivals) {
      return new Expect(null, null, arrivals, false);
    }

    static Expect fail(Class<? extends Throwable> type, StopReason stop, int arrivals) {
      return new Expect(type, stop, arrivals, false);
    }

    String describe() {
      if (bodyReadFails) return "200, body read fails";
      return failure == null ? "200" : failure.getSimpleName() + " (" + stop + ")";
    }
  }

  /** The rules of DESIGN.md and the adapters' documented contracts, cell by cell. */
  static Expect expect(Scenario s, Adapter adapter, String method) {
    boolean get = method.equals("GET");
    switch (s) {
      case CONNECTION_RESET:
      case EMPTY_RESPONSE:
      case RANDOM_DATA:
        // The request reached the server: idempotent methods are retried, POST is not.
        return get ? Expect.ok(3) : Expect.fail(TransportException.class, StopReason.NOT_IDEMPOTENT, 1);
      case MALFORMED_CHUNK:
        // OkHttp hands over the response once its headers are in; the broken body surfaces when
        // the caller reads it, after the interceptor has returned (it never buffers bodies). The
        // JDK's BodyHandlers.ofString reads the body inside send(), so the attempt itself fails.
        if (adapter.okhttp()) return new Expect(java.io.IOException.class, null, 1, true);
        return get ? Expect.ok(3) : Expect.fail(TransportException.class, StopReason.NOT_IDEMPOTENT, 1);
      case READ_TIMEOUT:
        if (!get) return Expect.fail(TransportException.class, StopReason.NOT_IDEMPOTENT, 1);
        // OkHttp's read timeout bounds one attempt; HttpRequest.timeout() bounds the whole call,
        // so the JDK adapter will not start a backoff that would end after it.
        return adapter.okhttp() ? Expect.ok(2)
            : Expect.fail(TransportException.class, StopReason.DEADLINE_EXCEEDED, 1);
      case BURST_503:
        return Expect.ok(4);
      case STORM_500:
        return get ? Expect.fail(ServerErrorException.class, StopReason.ATTEMPTS_EXHAUSTED, 5)
            : Expect.fail(ServerErrorException.class, StopReason.NOT_IDEMPOTENT, 1);
      case RATE_LIMITED_HOUR:
      case RATE_LIMITED_HUGE: // far is not malformed: believed, so the call gives up at once
      case RATE_LIMITED_ALL_ABSURD: // every usable header agrees that the reset is far
      case RATE_LIMITED_RETRY_AFTER_OVERFLOW:
        return Expect.fail(RateLimitedException.class, StopReason.WAIT_EXCEEDS_CAP, 1);
      case RATE_LIMITED_ABSURD_SECONDS:
      case RATE_LIMITED_UNREPRESENTABLE_SECONDS: // the plausible Reset wins: one arrival, one after it
        return Expect.ok(2);
      case UNAVAILABLE_FOR_A_DAY:
        return Expect.fail(ServerErrorException.class, StopReason.WAIT_EXCEEDS_CAP, 1);
      default:
        return Expect.ok(2); // a malformed 429: retried after capped backoff, for every method
    }
  }

  static Rig rig;
  /** (scenario, method) -> (adapter/mode column -> cell text), for the report. */
  static final Map<String, Map<String, String>> table = new ConcurrentHashMap<>();
  static final List<String> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
  static volatile Duration longestWait = Duration.ZERO;
  static volatile int cells;
  static volatile long startedAt;

  @BeforeAll
  static void start() {
    rig = Rig.standard();
    startedAt = System.nanoTime();
  }

  static Stream<Arguments> cells() {
    List<Arguments> all = new ArrayList<>();
    for (Scenario s : Scenario.values()) {
      for (String method : List.of("GET", "POST")) {
        for (Adapter a : Adapter.values()) {
          for (Mode m : Mode.values()) all.add(Arguments.of(s, method, a, m));
        }
      }
    }
    return all.stream();
  }

  @ParameterizedTest(name = "{0} {1} via {2} {3}")
  @MethodSource("cells")
  void cell(Scenario scenario, String method, Adapter adapter, Mode mode) {
    VirtualTime time = VirtualTime.autoAdvancing();
    rig.reset(time);
    CapturingLogger logger = new CapturingLogger();
    EventLog events = new EventLog();
    AssignrResilience resilience = rig.config(time, Rig.listeners(logger, events)).build();
    OkHttpClient base = scenario == Scenario.READ_TIMEOUT
        ? rig.ok.newBuilder().readTimeout(CLIENT_TIMEOUT).build() : rig.ok;
    Rig.Caller caller = rig.caller(adapter, mode, resilience, base);
    String path = (method.equals("GET") ? GAMES : CONFIRM) + "?" + SECRET_QUERY;
    CallSpec spec = new CallSpec(method, path,
        scenario == Scenario.READ_TIMEOUT && adapter == Adapter.JDK ? CLIENT_TIMEOUT : null);
    Instant start = time.instant();
    long before = scenario == Scenario.READ_TIMEOUT ? openConnection(adapter) : 0;
    scenario.script.accept(rig.sim);

    Result result = caller.call(spec);

    String leaks = rig.leaks();
    int arrivals = (int) rig.sim.journal().entries(method, API + (method.equals("GET") ? GAMES : CONFIRM))
        .stream().filter(e -> e.sequence() > before).count();
    List<Duration> waits = new ArrayList<>(time.sleeps());
    waits.addAll(time.scheduledDelays());
    Duration longest = waits.stream().max(Comparator.naturalOrder()).orElse(Duration.ZERO);
    Expect expect = expect(scenario, adapter, method);
    record(scenario, method, adapter, mode, result, arrivals, longest, leaks, expect);

    // The outcome.
    if (expect.bodyReadFails()) {
      assertEquals(200, result.status(), result::toString);
      assertTrue(result.error() instanceof java.io.IOException, result::toString);
    } else if (expect.failure() == null) {
      assertEquals(null, result.error(), () -> "expected 200, got " + result);
      assertEquals(200, result.status(), () -> "expected 200, got " + result);
    } else {
      assertTrue(expect.failure().isInstance(result.error()), () -> "expected "
          + expect.describe() + ", got " + result + "; events " + events.events);
      assertEquals(expect.stop(), ((AssignrException) result.error()).stopReason(), result::toString);
    }
    assertEquals(expect.arrivals(), arrivals, () -> "requests that reached the server; journal "
        + rig.sim.journal().entries() + "; events " + events.events);
    // No connection or body leaked.
    assertEquals("", leaks);
    // Bounded waits: never past the cap; a malformed header never stretches a wait.
    Duration cap = resilience.policy().maxServerWait();
    assertTrue(longest.compareTo(cap) <= 0, () -> "waited " + longest + " > cap " + cap);
    if (scenario.malformed429()) {
      assertTrue(longest.compareTo(Duration.ofSeconds(2)) <= 0, () -> "malformed header stretched a wait: " + waits);
    }
    if (expect.stop() == StopReason.WAIT_EXCEEDS_CAP) {
      assertEquals(List.of(), waits, "gave up at once, without waiting");
      Duration took = Duration.between(start, time.instant()); // virtual time: only waits move it
      assertTrue(took.compareTo(Duration.ofMillis(50)) <= 0, () -> "gave up after " + took);
      AssignrException e = (AssignrException) result.error();
      Duration expected = scenario.retryAtFromStart(resilience.policy().rateLimitMargin());
      assertNotNull(e.retryAt(), "the give-up says when a retry would succeed");
      Duration off = Duration.between(start.plus(expected), e.retryAt()).abs();
      assertTrue(off.compareTo(Duration.ofSeconds(2)) <= 0, () -> "retryAt " + e.retryAt() + " vs start " + start);
    }
    if (scenario.plausibleResetWins()) {
      // One arrival before the reset the plausible header names, the next after it (the margin
      // of 1 s, Date's rounding down of at most 1 s): not at once, not after the absurd one.
      Instant reset = Instant.ofEpochSecond(start.getEpochSecond() + 5);
      List<Instant> at = rig.sim.journal().entries(method, API + (method.equals("GET") ? GAMES : CONFIRM))
          .stream().map(JournalEntry::arrivedAt).toList();
      assertTrue(at.get(0).isBefore(reset), () -> "first arrival " + at + " vs reset " + reset);
      assertTrue(!at.get(1).isBefore(reset) && !at.get(1).isAfter(reset.plusSeconds(2)),
          () -> "second arrival " + at + " vs reset " + reset);
    }
    // The credential appears nowhere the library writes.
    List<String> written = new ArrayList<>(logger.lines);
    written.addAll(events.events);
    if (result.error() != null) written.addAll(Rig.describe(result.error()));
    written.add(resilience.toString());
    written.add(resilience.gates().toString());
    for (String line : written) assertFalse(line.contains(SECRET), () -> "the secret leaked: " + line);
    assertFalse(logger.lines.isEmpty() && expect.failure() != null, "a give-up is logged");
  }

  /**
   * Opens the connection the read-timeout cell's call will use, with an unscripted GET on the
   * cell's client (its connection pool; default timeouts, so this request cannot time out):
   * rig.reset() evicted OkHttp's pool and earlier fault cells killed the JDK's connections, and a
   * fresh TLS handshake must not eat into the 300 ms the cell gives one attempt. Returns its
   * journal sequence; the cell counts the arrivals after it.
   */
  private static long openConnection(Adapter adapter) {
    CallSpec warmUp = CallSpec.get(GAMES + "?warm-up");
    int status;
    try {
      if (adapter.okhttp()) {
        try (okhttp3.Response r = rig.ok.newCall(rig.okRequest(warmUp)).execute()) {
          r.body().string();
          status = r.code();
        }
      } else {
        status = rig.jdk.send(rig.jdkRequest(warmUp), java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode();
      }
    } catch (IOException | InterruptedException e) {
      throw new AssertionError("the warm-up GET failed", e);
    }
    assertEquals(200, status, "the warm-up GET");
    return rig.sim.journal().entries("GET", API + GAMES + "?warm-up").get(0).sequence();
  }

  private static synchronized void record(Scenario s, String method, Adapter a, Mode m, Result r,
      int arrivals, Duration longest, String leaks, Expect expect) {
    cells++;
    if (longest.compareTo(longestWait) > 0) longestWait = longest;
    String outcome;
    if (r.error() == null) {
      outcome = String.valueOf(r.status());
    } else if (r.error() instanceof AssignrException e) {
      outcome = e.getClass().getSimpleName().replace("Exception", "") + " " + e.stopReason();
    } else if (r.status() > 0) {
      outcome = r.status() + ", body read: " + r.error().getClass().getSimpleName();
    } else {
      outcome = r.error().getClass().getSimpleName();
    }
    String cell = outcome + " · " + arrivals + " sent"
        + (longest.isZero() ? "" : " · ≤" + format(longest)) + (leaks.isEmpty() ? "" : " · LEAK");
    boolean pass = expect.bodyReadFails() ? r.status() == 200 && r.error() instanceof IOException
        : expect.failure() == null ? r.error() == null && r.status() == 200
        : expect.failure().isInstance(r.error()) && ((AssignrException) r.error()).stopReason() == expect.stop();
    pass &= arrivals == expect.arrivals() && leaks.isEmpty();
    if (!pass) {
      cell = "**FAIL** " + cell + " (want " + expect.describe() + " · " + expect.arrivals() + " sent)";
      failures.add(s + " " + method + " " + a + " " + m + ": " + r + "; " + leaks);
    }
    table.computeIfAbsent(String.format("%02d %s|%s", s.ordinal(), s.label, method), k -> new TreeMap<>())
        .put(a.ordinal() + "" + m.ordinal(), cell);
  }

  static String format(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
  }

  @AfterAll
  static void report() throws IOException {
    try {
      long seconds = (System.nanoTime() - startedAt) / 1_000_000_000L;
      StringBuilder md = new StringBuilder();
      md.append("| fault | method |");
      for (Adapter a : Adapter.values()) for (Mode m : Mode.values()) md.append(' ').append(a.label).append(' ').append(m.name().toLowerCase()).append(" |");
      md.append("\n|---|---|");
      for (int i = 0; i < Adapter.values().length * Mode.values().length; i++) md.append("---|");
      md.append('\n');
      new TreeMap<>(table).forEach((key, row) -> {
        String[] parts = key.substring(3).split("\\|");
        md.append("| ").append(parts[0]).append(" | ").append(parts[1]).append(" |");
        for (Adapter a : Adapter.values()) for (Mode m : Mode.values()) {
          md.append(' ').append(row.getOrDefault(a.ordinal() + "" + m.ordinal(), "–")).append(" |");
        }
        md.append('\n');
      });
      md.append("\n").append(cells).append(" cells, ").append(failures.size()).append(" failed, in ")
          .append(seconds).append(" s of real time; longest wait asked for: ").append(format(longestWait))
          .append(" (virtual time; cap ").append(format(com.assignr.resilience.RetryPolicy.defaults().maxServerWait()))
          .append(").\n");
      for (String f : failures) md.append("- ").append(f).append('\n');
      Path out = Path.of("target", "reliability-matrix.md");
      Files.createDirectories(out.getParent());
      Files.writeString(out, md.toString());
    } finally {
      rig.close();
    }
  }
}
