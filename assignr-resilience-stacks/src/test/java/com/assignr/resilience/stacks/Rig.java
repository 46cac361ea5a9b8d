package com.assignr.resilience.stacks;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.assignr.resilience.AssignrException;
import com.assignr.resilience.AssignrResilience;
import com.assignr.resilience.RetryListener;
import com.assignr.resilience.testkit.VirtualTime;
import com.assignr.resilience.testkit.AssignrSimulator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import okhttp3.ConnectionPool;
import okhttp3.OkHttp;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.DynamicTest;

/**
 * One HTTPS simulator on virtual time for a test class, and the matrix it fills: for each stack
 * and {@link Scenario}, how many times the write reached the simulator (from its journal), how
 * many games it created, and what the caller got. The rows are written to
 * {@code target/exactly-once/<file>.md} for RELIABILITY.md.
 */
final class Rig implements AutoCloseable {
  /** Retry waits (backoff, a 429's reset) pass on this clock; the simulator reads it too. */
  final VirtualTime time = VirtualTime.autoAdvancing();
  final AssignrSimulator sim = AssignrSimulator.builder().clock(time.clock()).https(true).start();
  private final List<String> rows = new ArrayList<>();
  private final String file;

  /** @param file the name of the matrix file to write, or null to write none */
  Rig(String file) {
    this.file = file;
  }

  /** A fresh configuration (fresh gates) on the rig's virtual time, jitter at its minimum, quiet. */
  AssignrResilience resilience(boolean throwOnFailure) {
    return AssignrResilience.builder().timeSource(time).random(() -> 0.0).listener(RetryListener.NONE)
        .throwOnFailure(throwOnFailure).build();
  }

  /** The simulator's API base, {@code https://localhost:<port>/api/v2} ({@code httpsBaseUrl()} has the path). */
  String base() {
    return sim.httpsBaseUrl();
  }

  /** An OkHttp builder that trusts the simulator. */
  OkHttpClient.Builder okHttp() {
    return new OkHttpClient.Builder()
        .sslSocketFactory(sim.sslContext().getSocketFactory(), sim.trustManager())
        .connectionPool(new ConnectionPool(4, 1, java.util.concurrent.TimeUnit.MINUTES));
  }

  /**
   * {@link #okHttp()} with an application interceptor that sets {@code Authorization}, as a
   * user's own would, for the stacks that build requests themselves (Retrofit, Feign).
   */
  OkHttpClient.Builder okHttpWithToken() {
    return okHttp().addInterceptor(chain -> chain.proceed(
        chain.request().newBuilder().header("Authorization", OkHttpStack.TOKEN).build()));
  }

  /** The OkHttp on the classpath ({@code OkHttp.VERSION} is a compile-time constant, so read reflectively). */
  static String okHttpVersion() {
    try {
      return (String) OkHttp.class.getField("VERSION").get(null);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  /** One dynamic test per scenario for {@code stack}, built fresh for each from a configuration. */
  Stream<DynamicTest> matrix(String stack, boolean throwOnFailure,
      Function<AssignrResilience, StackClient> build) {
    return Stream.of(Scenario.values()).map(s -> DynamicTest.dynamicTest(stack + " / " + s,
        () -> run(stack, s, throwOnFailure, build)));
  }

  /** What the caller got: "created", a status, or "failed" (an exception without one). */
  record Seen(int arrivals, int created, String outcome, String detail) {}

  Seen run(String stack, Scenario scenario, boolean throwOnFailure,
      Function<AssignrResilience, StackClient> build) throws Exception {
    Seen seen = observe(scenario, build.apply(resilience(throwOnFailure)));
    record(stack, scenario, seen);
    assertAll(stack + " / " + scenario + ": " + seen,
        () -> assertEquals(scenario.allowedArrivals, seen.arrivals(), "arrivals at the simulator"),
        () -> assertEquals(scenario.gamesCreated, seen.created(), "games created"),
        () -> assertEquals(scenario.expected, seen.outcome(), "what the caller got"));
    return seen;
  }

  /** Pools a connection with a GET, scripts the fault, sends the write and reads the journal. */
  Seen observe(Scenario scenario, StackClient client) throws Exception {
    sim.reset();
    try (client) {
      assertEquals(200, client.get("/current_account"), "the warm-up GET");
      int gamesBefore = sim.gameCount(1);
      String body = scenario.body(sim);
      scenario.script(sim);
      String outcome;
      String detail;
      try {
        int status = client.write(scenario.method, scenario.apiPath(), body);
        outcome = status == 201 ? "created" : Integer.toString(status);
        detail = "HTTP " + status;
      } catch (Exception e) {
        int status = statusOf(e);
        outcome = status > 0 ? Integer.toString(status) : "failed";
        detail = describe(e);
      }
      return new Seen(sim.journal().count(scenario.method, scenario.journalPath()),
          sim.gameCount(1) - gamesBefore, outcome, detail);
    }
  }

  /** The status an {@link AssignrException} in the cause chain carries, or 0. */
  static int statusOf(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof AssignrException a) return a.status();
    }
    return 0;
  }

  /** The exception as a caller meets it: its type, and the causes' types down to ours. */
  static String describe(Throwable e) {
    StringBuilder s = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (s.length() > 0) s.append(" < ");
      s.append(t.getClass().getSimpleName());
      if (t instanceof AssignrException a) {
        s.append(" (").append(a.stopReason()).append(", ").append(a.attempts()).append(" attempt")
            .append(a.attempts() == 1 ? "" : "s").append(')');
        break;
      }
    }
    return s.toString();
  }

  synchronized void record(String stack, Scenario scenario, Seen seen) {
    rows.add("| " + stack + " | " + scenario + " | " + seen.arrivals() + " (allowed "
        + scenario.allowedArrivals + ") | " + seen.created() + " | " + seen.outcome() + " | "
        + seen.detail() + " |");
  }

  @Override
  public void close() {
    try {
      if (file == null) return;
      Path dir = Path.of("target", "exactly-once");
      Files.createDirectories(dir);
      List<String> lines = new ArrayList<>();
      lines.add("| stack | scenario | arrivals | games created | caller got | detail |");
      lines.add("|---|---|---|---|---|---|");
      lines.addAll(rows);
      Files.write(dir.resolve(file + ".md"), lines);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      sim.close();
    }
  }
}
