package com.assignr.resilience.feign;

import static com.assignr.resilience.feign.FeignRig.GAME;
import static com.assignr.resilience.feign.FeignRig.GAMES;
import static com.assignr.resilience.feign.FeignRig.GAME_ID;
import static com.assignr.resilience.feign.FeignRig.INVALID_GAME;
import static com.assignr.resilience.feign.FeignRig.NEW_GAME;
import static com.assignr.resilience.feign.FeignRig.RESET_SECONDS;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.assignr.resilience.AssignrException;
import com.assignr.resilience.AssignrResilience;
import com.assignr.resilience.ConflictException;
import com.assignr.resilience.ServerErrorException;
import com.assignr.resilience.StopReason;
import com.assignr.resilience.TransportException;
import com.assignr.resilience.ValidationException;
import com.assignr.resilience.jdk.AssignrHttpClient;
import com.assignr.resilience.okhttp.AssignrInterceptor;
import com.assignr.resilience.testkit.JournalEntry;
import com.assignr.resilience.testkit.ScriptedResponse;
import feign.Feign;
import feign.FeignException;
import feign.Headers;
import feign.Param;
import feign.Request;
import feign.RequestLine;
import feign.Retryer;
import feign.http2client.Http2Client;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * How many times each write reaches Assignr through Feign, with Feign's default {@code Retryer}:
 * through the capability ("with the module", the builder's default {@code Retryer} left in place)
 * and, as the control, the way Feign was set up before it (feign-okhttp over a client configured
 * with {@code AssignrInterceptor.configure}, or feign-java11 over the decorator with matching
 * options; Feign's {@code Retryer.Default} with its periods cut to 1 ms so the run is quick, its 5
 * attempts kept). The counts come from the simulator's journal; every write follows a warm-up GET,
 * so it goes out on a reused connection. The cells are written to {@code target/feign-writes-okhttp-<version>.md} (one per run).
 */
@Timeout(60)
class WritesOnceTest {
  static final FeignRig RIG = new FeignRig();
  static final Table TABLE = new Table("feign-writes-okhttp-" + Transport.okHttpVersion(), List.of("POST, 500", "stale PUT (409)",
      "POST, 422", "POST, 503 every time", "GET, 429", "POST, answer lost"));

  @Headers("Content-Type: application/vnd.assignr.v2.hal+json")
  interface Api {
    @RequestLine("GET /current_account")
    String currentAccount();

    @RequestLine("POST /sites/1/games")
    String createGame(String json);

    @RequestLine("PUT /games/{id}")
    String updateGame(@Param("id") long id, String json);
  }

  enum Mode {
    EXCEPTIONS, RESPONSES;

    boolean throwOnFailure() {
      return this == EXCEPTIONS;
    }

    @Override
    public String toString() {
      return this == EXCEPTIONS ? "throwOnFailure" : "responses";
    }
  }

  /** One way of putting Feign over the library. */
  record Setup(Transport transport, boolean module, Mode mode) {
    Api api(AssignrResilience resilience) {
      Feign.Builder feign = FeignRig.feign();
      if (module) {
        feign.addCapability(transport.capability(RIG, resilience)); // Feign's default Retryer stays set
      } else if (transport == Transport.OKHTTP) {
        feign.client(new feign.okhttp.OkHttpClient(
                AssignrInterceptor.configure(RIG.okHttp().newBuilder(), resilience).build()))
            .retryer(new Retryer.Default(1, 1, 5));
      } else {
        feign.client(new Http2Client(AssignrHttpClient.wrap(RIG.jdk(), resilience)))
            .options(new Request.Options(FeignRig.CONNECT.toMillis(), TimeUnit.MILLISECONDS, 60, TimeUnit.SECONDS, false))
            .retryer(new Retryer.Default(1, 1, 5));
      }
      return feign.target(Api.class, RIG.base());
    }

    @Override
    public String toString() {
      return (module ? "with the module: " : "without (control): ") + transport + ", " + mode;
    }
  }

  static Stream<Setup> setups() {
    List<Setup> setups = new ArrayList<>();
    for (boolean module : new boolean[] {true, false}) {
      Transport.inThisRun().forEach(t -> {
        for (Mode mode : Mode.values()) setups.add(new Setup(t, module, mode));
      });
    }
    return setups.stream();
  }

  @BeforeEach
  void freshSimulator() {
    RIG.sim.reset();
    RIG.attempts.set(0);
  }

  @AfterAll
  static void close() {
    TABLE.write();
    RIG.close();
  }

  /** A fresh configuration (fresh gates), a warm-up GET to pool a connection, then the write. */
  private static Api warmedUp(Setup setup) {
    Api api = setup.api(RIG.resilience(setup.mode().throwOnFailure()));
    assertNotNull(api.currentAccount());
    RIG.sim.journal().reset();
    RIG.attempts.set(0);
    return api;
  }

  /** What the call returned or threw: the control rows assert only their arrivals. */
  private static Object outcome(java.util.concurrent.Callable<?> call) {
    try {
      return call.call();
    } catch (Exception e) {
      return e;
    }
  }

  /** The library's exception behind what the caller caught, and its stop reason. */
  private static AssignrException library(Throwable thrown) {
    return AssignrFeign.assignrException(thrown).orElseThrow(() -> new AssertionError(thrown));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("setups")
  void aPostAnswered500(Setup setup) {
    Api api = warmedUp(setup);
    RIG.sim.script().on("POST", GAMES).next(1).respondStatus(500);
    if (!setup.module()) {
      Object outcome = outcome(() -> api.createGame(NEW_GAME));
      int arrivals = RIG.arrivals("POST", GAMES);
      TABLE.put(setup.toString(), "POST, 500", arrivals);
      // Feign resends after the library gave up (exceptions), and the second POST creates a game.
      assertEquals(setup.mode() == Mode.EXCEPTIONS ? 2 : 1, arrivals, "the control: " + outcome);
      return;
    }
    FeignException thrown = assertThrows(FeignException.class, () -> api.createGame(NEW_GAME));
    int arrivals = RIG.arrivals("POST", GAMES);
    TABLE.put(setup.toString(), "POST, 500", arrivals);
    assertEquals(1, arrivals, "sent once");
    assertEquals(500, thrown.status());
    if (setup.mode() == Mode.EXCEPTIONS) {
      assertInstanceOf(AssignrFeignException.class, thrown);
      assertInstanceOf(ServerErrorException.class, thrown.getCause());
      assertEquals(StopReason.NOT_IDEMPOTENT, library(thrown).stopReason());
    } else {
      assertInstanceOf(FeignException.InternalServerError.class, thrown);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("setups")
  void aStalePut(Setup setup) {
    Api api = warmedUp(setup);
    if (!setup.module()) {
      Object outcome = outcome(() -> api.updateGame(GAME_ID, RIG.stalePut()));
      int arrivals = RIG.arrivals("PUT", GAME);
      TABLE.put(setup.toString(), "stale PUT (409)", arrivals);
      assertEquals(setup.mode() == Mode.EXCEPTIONS ? 5 : 1, arrivals, "the control: " + outcome);
      return;
    }
    FeignException thrown = assertThrows(FeignException.class, () -> api.updateGame(GAME_ID, RIG.stalePut()));
    int arrivals = RIG.arrivals("PUT", GAME);
    TABLE.put(setup.toString(), "stale PUT (409)", arrivals);
    assertEquals(409, thrown.status());
    assertEquals(1, arrivals, "sent once");
    if (setup.mode() == Mode.EXCEPTIONS) {
      assertInstanceOf(ConflictException.class, ((AssignrFeignException) thrown).assignrException());
    } else {
      assertInstanceOf(FeignException.Conflict.class, thrown);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("setups")
  void aPostAnswered422(Setup setup) {
    Api api = warmedUp(setup);
    if (!setup.module()) {
      Object outcome = outcome(() -> api.createGame(INVALID_GAME));
      int arrivals = RIG.arrivals("POST", GAMES);
      TABLE.put(setup.toString(), "POST, 422", arrivals);
      assertEquals(setup.mode() == Mode.EXCEPTIONS ? 5 : 1, arrivals, "the control: " + outcome);
      return;
    }
    FeignException thrown = assertThrows(FeignException.class, () -> api.createGame(INVALID_GAME));
    int arrivals = RIG.arrivals("POST", GAMES);
    TABLE.put(setup.toString(), "POST, 422", arrivals);
    assertEquals(422, thrown.status());
    assertEquals(1, arrivals, "sent once");
    if (setup.mode() == Mode.EXCEPTIONS) {
      assertInstanceOf(ValidationException.class, thrown.getCause());
    } else {
      assertInstanceOf(FeignException.UnprocessableEntity.class, thrown);
    }
  }

  /**
   * A 503 on every arrival, with {@code Retry-After: 1}: the library resends (Assignr refused the
   * POST, so it did not act on it) until its attempts run out, and that is all.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("setups")
  void aPostAnswered503EveryTime(Setup setup) {
    Api api = warmedUp(setup);
    RIG.sim.script().on("POST", GAMES).always()
        .respond(ScriptedResponse.status(503).header("Retry-After", "1"));
    Object outcome = outcome(() -> api.createGame(NEW_GAME));
    int arrivals = RIG.arrivals("POST", GAMES);
    int maxAttempts = AssignrResilience.defaults().policy().maxAttempts();
    TABLE.put(setup.toString(), "POST, 503 every time", arrivals + " (library attempts " + RIG.attempts.get() + ")");
    if (!setup.module()) {
      // Feign's 5 tries, each of them the library's 5 attempts.
      assertEquals(5 * maxAttempts, arrivals, "the control: " + outcome);
      return;
    }
    FeignException thrown = assertInstanceOf(FeignException.class, outcome);
    assertEquals(503, thrown.status());
    assertAll(
        () -> assertEquals(maxAttempts, RIG.attempts.get(), "the library's attempts"),
        () -> assertEquals(RIG.attempts.get(), arrivals, "arrivals are the library's attempts"));
    if (setup.mode() == Mode.EXCEPTIONS) {
      assertEquals(StopReason.ATTEMPTS_EXHAUSTED, library(thrown).stopReason());
      assertInstanceOf(ServerErrorException.class, thrown.getCause());
    } else {
      // Feign's default ErrorDecoder would have made a RetryableException of it (Retry-After).
      assertInstanceOf(FeignException.ServiceUnavailable.class, thrown);
    }
  }

  /** A GET answered 429 with a 3 s reset: sent again once, after the reset (virtual time). */
  @ParameterizedTest(name = "{0}")
  @MethodSource("setups")
  void aGetAnswered429(Setup setup) {
    Api api = warmedUp(setup);
    RIG.sim.script().on("GET", "/api/v2/current_account").next(1)
        .respond(ScriptedResponse.status(429).header(RESET_SECONDS, "3"));
    assertNotNull(api.currentAccount());
    List<JournalEntry> gets = RIG.sim.journal().entries("GET", "/api/v2/current_account");
    assertEquals(2, gets.size(), "the 429, then the GET after the reset");
    assertEquals(429, gets.get(0).status());
    assertEquals(200, gets.get(1).status());
    Duration between = Duration.between(gets.get(0).arrivedAt(), gets.get(1).arrivedAt());
    TABLE.put(setup.toString(), "GET, 429", gets.size() + " (" + between.toMillis() + " ms apart)");
    assertTrue(between.compareTo(Duration.ofSeconds(3)) >= 0, "sent again " + between + " after the 429");
  }

  /** The POST is processed (a game created), then the connection closes without an answer. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("setups")
  void aProcessedPostWhoseAnswerIsLost(Setup setup) {
    Api api = warmedUp(setup);
    int gamesBefore = RIG.sim.gameCount(1);
    RIG.sim.script().on("POST", GAMES).next(1).processThenClose();
    Object outcome = outcome(() -> api.createGame(NEW_GAME));
    int arrivals = RIG.arrivals("POST", GAMES);
    int created = RIG.sim.gameCount(1) - gamesBefore;
    TABLE.put(setup.toString(), "POST, answer lost", arrivals + " (" + created + (created == 1 ? " game)" : " games)"));
    if (!setup.module()) {
      assertEquals(2, arrivals, "the control: Feign resends what the library gave up on: " + outcome);
      assertEquals(2, created, "a second game");
      return;
    }
    FeignException thrown = assertInstanceOf(FeignException.class, outcome);
    assertEquals(1, arrivals, "sent once");
    assertEquals(1, created);
    // No answer is left to return, so the library throws in responses mode too.
    assertInstanceOf(AssignrFeignException.class, thrown);
    assertEquals(-1, thrown.status());
    assertInstanceOf(TransportException.class, thrown.getCause());
    assertEquals(StopReason.NOT_IDEMPOTENT, library(thrown).stopReason());
  }
}
