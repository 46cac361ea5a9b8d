package com.assignr.resilience.stacks;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.assignr.resilience.AssignrResilience;
import com.assignr.resilience.RequestInfo;
import com.assignr.resilience.RetryListener;
import com.assignr.resilience.okhttp.AssignrCallFactory;
import com.assignr.resilience.okhttp.AssignrInterceptor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * GETs on a pooled connection whose answer is lost (the simulator processes the GET, then closes
 * or resets the connection): OkHttp's {@code retryOnConnectionFailure} resends the GET on a fresh
 * connection at once, below our adapters, which see one attempt and wait nothing. Switching that
 * off for writes must not switch it off for reads. Figures go to
 * {@code target/exactly-once/stale-get-<okhttp>.md}.
 */
@Timeout(60)
class StaleConnectionGetTest {
  static final Rig RIG = new Rig(null);
  static final int ROUNDS = 20;
  static final List<String> ROWS = new ArrayList<>();

  @AfterAll
  static void writeFigures() throws IOException {
    RIG.close();
    Files.createDirectories(Path.of("target", "exactly-once"));
    List<String> lines = new ArrayList<>(List.of(
        "| stack (OkHttp " + Rig.okHttpVersion() + ") | GETs | succeeded | arrivals | attempts by the library | virtual time waited |",
        "|---|---|---|---|---|---|"));
    lines.addAll(ROWS);
    Files.write(Path.of("target", "exactly-once", "stale-get-" + Rig.okHttpVersion() + ".md"), lines);
  }

  /** What {@link #ROUNDS} GETs on a pooled connection with a lost answer came to. */
  record Figures(int succeeded, int arrivals, int attempts, Duration waited) {}

  Figures measure(String stack, Function<AssignrResilience, OkHttpStack> build) throws Exception {
    AtomicInteger attempts = new AtomicInteger();
    AssignrResilience resilience = AssignrResilience.builder().timeSource(RIG.time).random(() -> 0.0)
        .listener(new RetryListener() {
          @Override
          public void onAttempt(RequestInfo request, int attempt) {
            if (request.path().equals(Scenario.GAME)) attempts.incrementAndGet();
          }
        }).build();
    int succeeded = 0;
    int arrivals = 0;
    Duration waited = Duration.ZERO;
    RIG.sim.reset();
    try (OkHttpStack client = build.apply(resilience)) {
      for (int i = 0; i < ROUNDS; i++) {
        RIG.sim.resetRateLimits();
        assertEquals(200, client.get("/current_account"), "pools a connection");
        var fault = RIG.sim.script().on("GET", Scenario.GAME).next(1);
        if (i % 2 == 0) fault.processThenClose();
        else fault.processThenReset();
        int before = RIG.sim.journal().count("GET", Scenario.GAME);
        Duration start = RIG.time.elapsed();
        try {
          if (client.get(Scenario.GAME.substring("/api/v2".length())) == 200) succeeded++;
        } catch (IOException e) {
          // counted as not succeeded
        }
        waited = waited.plus(RIG.time.elapsed().minus(start));
        arrivals += RIG.sim.journal().count("GET", Scenario.GAME) - before;
      }
    }
    Figures f = new Figures(succeeded, arrivals, attempts.get(), waited);
    synchronized (ROWS) {
      ROWS.add("| " + stack + " | " + ROUNDS + " | " + f.succeeded() + " | " + f.arrivals() + " | "
          + f.attempts() + " | " + f.waited().toMillis() + " ms |");
    }
    return f;
  }

  /** OkHttp recovered on its own: every GET succeeded in one attempt of ours, nothing waited. */
  static void assertRecoveredBelowUs(Figures f) {
    assertAll(f.toString(),
        () -> assertEquals(ROUNDS, f.succeeded(), "succeeded"),
        () -> assertEquals(2 * ROUNDS, f.arrivals(), "the lost answer and OkHttp's own resend"),
        () -> assertEquals(ROUNDS, f.attempts(), "one attempt each, as the library sees it"),
        () -> assertEquals(Duration.ZERO, f.waited(), "no backoff"));
  }

  @Test
  void theConfiguredInterceptorKeepsOkHttpsRecoveryForReads() throws Exception {
    assertRecoveredBelowUs(measure("AssignrInterceptor.configure", r -> {
      OkHttpClient client = AssignrInterceptor.configure(RIG.okHttp(), r).build();
      return new OkHttpStack(client, client, RIG.base(), false);
    }));
  }

  @Test
  void theInterceptorAddedByHandKeepsOkHttpsRecovery() throws Exception {
    assertRecoveredBelowUs(measure("interceptor via addInterceptor", r -> {
      OkHttpClient client = RIG.okHttp().addInterceptor(AssignrInterceptor.create(r)).build();
      return new OkHttpStack(client, client, RIG.base(), false);
    }));
  }

  @Test
  void theCallFactoryKeepsOkHttpsRecoveryForReads() throws Exception {
    assertRecoveredBelowUs(measure("AssignrCallFactory", r -> {
      OkHttpClient client = RIG.okHttp().build();
      return new OkHttpStack(AssignrCallFactory.create(client, r), client, RIG.base(), false);
    }));
  }

  /**
   * For contrast, what a client-wide {@code retryOnConnectionFailure(false)} would cost reads: the
   * library still recovers each GET, but with a second attempt after a backoff.
   */
  @Test
  void withoutOkHttpsRecoveryEveryLostAnswerCostsAnAttemptAndABackoff() throws Exception {
    Figures f = measure("(contrast) interceptor, client-wide retryOnConnectionFailure(false)", r -> {
      OkHttpClient client = RIG.okHttp().retryOnConnectionFailure(false)
          .addInterceptor(AssignrInterceptor.create(r)).build();
      return new OkHttpStack(client, client, RIG.base(), false);
    });
    assertAll(f.toString(),
        () -> assertEquals(ROUNDS, f.succeeded(), "succeeded"),
        () -> assertEquals(2 * ROUNDS, f.attempts(), "a second attempt each"),
        () -> assertEquals(Duration.ofMillis(500L * ROUNDS), f.waited(), "a 500 ms backoff each"));
  }
}
