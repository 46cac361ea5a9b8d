package com.assignr.resilience.stacks;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.assignr.resilience.AssignrException;
import com.assignr.resilience.AssignrResilience;
import com.assignr.resilience.ConflictException;
import com.assignr.resilience.RateLimitedException;
import com.assignr.resilience.ValidationException;
import com.assignr.resilience.okhttp.AssignrInterceptor;
import com.assignr.resilience.testkit.ScriptedResponse;
import feign.ExceptionPropagationPolicy;
import feign.Feign;
import feign.FeignException;
import feign.Headers;
import feign.RequestLine;
import feign.RetryableException;
import feign.Retryer;
import java.util.EnumMap;
import java.util.Map;
import java.util.stream.Stream;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;

/** Writes through Feign with feign-okhttp over a client that has the interceptor. */
@Timeout(60)
class FeignStackTest {
  static final Rig RIG = new Rig("feign-okhttp-" + Rig.okHttpVersion());
  static final String FEIGN = "Feign + feign-okhttp on OkHttp " + Rig.okHttpVersion();

  /** Each method answers the status of a 2xx (the decoder below); Feign throws for the rest. */
  @Headers("Content-Type: application/vnd.assignr.v2.hal+json")
  interface Api {
    @RequestLine("GET /current_account")
    Integer currentAccount();

    @RequestLine("POST /sites/1/games")
    Integer createGame(String json);

    @RequestLine("PUT /games/1001")
    Integer updateGame(String json);
  }

  /** The same calls, declaring our exceptions, for {@code ExceptionPropagationPolicy.UNWRAP}. */
  @Headers("Content-Type: application/vnd.assignr.v2.hal+json")
  interface Unwrapped {
    @RequestLine("POST /sites/1/games")
    Integer createGame(String json) throws AssignrException;

    @RequestLine("PUT /games/1001")
    Integer updateGame(String json) throws AssignrException;
  }

  @AfterAll
  static void writeMatrix() {
    RIG.close();
  }

  /** Feign as configured, over {@code client}. */
  static StackClient feign(OkHttpClient client, Retryer retryer) {
    Api api = Feign.builder()
        .client(new feign.okhttp.OkHttpClient(client))
        .retryer(retryer)
        .decoder((response, type) -> response.status())
        .target(Api.class, RIG.base());
    return new StackClient() {
      @Override
      public int get(String path) {
        return status(api::currentAccount);
      }

      @Override
      public int write(String method, String path, String json) {
        return status(() -> method.equals("PUT") ? api.updateGame(json) : api.createGame(json));
      }

      @Override
      public void close() {
        client.dispatcher().executorService().shutdown();
        client.connectionPool().evictAll();
      }
    };
  }

  /** The status Feign answered with or threw (a FeignException for a 4xx/5xx in responses mode). */
  static int status(java.util.function.Supplier<Integer> call) {
    try {
      return call.get();
    } catch (FeignException e) {
      if (e.status() > 0) return e.status();
      throw e;
    }
  }

  /** Feign's default Retryer (5 attempts), its 100 ms period cut to 1 ms so the test runs fast. */
  static Retryer feignDefault() {
    return new Retryer.Default(1, 1, 5);
  }

  static OkHttpClient configured(AssignrResilience r) {
    return AssignrInterceptor.configure(RIG.okHttpWithToken(), r).build();
  }

  /** The README's recipe, with exceptions: Feign must not retry what the library gave up on. */
  @TestFactory
  Stream<DynamicTest> neverRetryWithExceptions() {
    return RIG.matrix(FEIGN + ", throwOnFailure, Retryer.NEVER_RETRY", true,
        r -> feign(configured(r), Retryer.NEVER_RETRY));
  }

  /** The README's recipe, with responses (the default). */
  @TestFactory
  Stream<DynamicTest> neverRetryWithResponses() {
    return RIG.matrix(FEIGN + ", responses (default), Retryer.NEVER_RETRY", false,
        r -> feign(configured(r), Retryer.NEVER_RETRY));
  }

  /**
   * For teams whose Feign retries other things: a Retryer that lets an exception of ours (the
   * cause of Feign's RetryableException) through at once, and retries the rest as before.
   */
  static Retryer exceptAssignr(Retryer delegate) {
    return new Retryer() {
      @Override
      public void continueOrPropagate(RetryableException e) {
        if (e.getCause() instanceof AssignrException) throw e; // the library has already retried
        delegate.continueOrPropagate(e);
      }

      @Override
      public Retryer clone() {
        return exceptAssignr(delegate.clone());
      }
    };
  }

  @TestFactory
  Stream<DynamicTest> ownRetryerThatStopsAtOurExceptions() {
    return RIG.matrix(FEIGN + ", throwOnFailure, a Retryer that propagates AssignrException", true,
        r -> feign(configured(r), exceptAssignr(feignDefault())));
  }

  /**
   * Why the recipe: Feign wraps every IOException from its client, ours included, in a
   * RetryableException, and its default Retryer sends the request again, up to 5 times, after the
   * library gave up on it. In responses mode too: a lost answer leaves no response to return, so
   * the library throws there as well.
   */
  @Test
  void feignsDefaultRetryerResendsWhatTheLibraryGaveUpOn() throws Exception {
    Map<Scenario, Integer> withExceptions = new EnumMap<>(Scenario.class);
    Map<Scenario, Integer> withResponses = new EnumMap<>(Scenario.class);
    for (Scenario s : Scenario.values()) {
      withExceptions.put(s, observe(FEIGN + ", throwOnFailure, Feign's default Retryer (the trap)", s, true));
      withResponses.put(s, observe(FEIGN + ", responses (default), Feign's default Retryer (the trap)", s, false));
    }
    assertAll(
        () -> assertEquals(5, withExceptions.get(Scenario.STALE_PUT), "a 409 resent 4 times"),
        () -> assertEquals(2, withExceptions.get(Scenario.POST_AFTER_500), "a POST resent after a 500"),
        () -> assertEquals(2, withExceptions.get(Scenario.POST_PROCESSED_THEN_CLOSED), "a processed POST resent"),
        () -> assertEquals(5, withExceptions.get(Scenario.POST_EVERY_ANSWER_LOST), "five games"),
        () -> assertEquals(1, withResponses.get(Scenario.STALE_PUT), "a 409 response is not retried"),
        () -> assertEquals(1, withResponses.get(Scenario.POST_AFTER_500), "nor a 500 response"),
        () -> assertEquals(2, withResponses.get(Scenario.POST_PROCESSED_THEN_RESET), "but a lost answer is"),
        () -> assertEquals(5, withResponses.get(Scenario.POST_EVERY_ANSWER_LOST), "five games"));
  }

  private int observe(String stack, Scenario s, boolean throwOnFailure) throws Exception {
    Rig.Seen seen = RIG.observe(s, feign(configured(RIG.resilience(throwOnFailure)), feignDefault()));
    RIG.record(stack, s, seen);
    return seen.arrivals();
  }

  /**
   * In responses mode Feign's default ErrorDecoder still makes a RetryableException of a final
   * response with {@code Retry-After}: a 503 burst the library rode out for 5 attempts is then
   * sent 5 more times by Feign. Retryer.NEVER_RETRY keeps it at the library's 5.
   */
  @Test
  void inResponsesModeAFinalAnswerWithRetryAfterIsRetriedByFeignUnlessNeverRetry() throws Exception {
    int[] arrivals = new int[2];
    Retryer[] retryers = {feignDefault(), Retryer.NEVER_RETRY};
    for (int i = 0; i < 2; i++) {
      RIG.sim.reset();
      try (StackClient feign = feign(configured(RIG.resilience(false)), retryers[i])) {
        RIG.sim.script().on("POST", Scenario.GAMES).always()
            .respond(ScriptedResponse.status(503).header("Retry-After", "1"));
        assertEquals(503, feign.write("POST", "/sites/1/games", Scenario.NEW_GAME));
        arrivals[i] = RIG.sim.journal().count("POST", Scenario.GAMES);
      }
    }
    assertEquals(25, arrivals[0], "Feign's 5 tries of the library's 5 attempts");
    assertEquals(5, arrivals[1], "the library's 5 attempts");
  }

  /** 409, 422 and a 429 whose wait is past the cap: each sent once, and what the caller then holds. */
  enum Refusal {
    CONFLICT, VALIDATION, RATE_LIMITED;

    Integer send(Unwrapped api) throws AssignrException {
      return this == CONFLICT ? api.updateGame(Scenario.STALE_PUT.body(RIG.sim))
          : api.createGame(this == VALIDATION ? "{\"game\":{\"home_team\":\"Hawks\"}}" : Scenario.NEW_GAME);
    }

    String path() {
      return this == CONFLICT ? Scenario.GAME : Scenario.GAMES;
    }

    void script() {
      if (this == RATE_LIMITED) {
        RIG.sim.script().on("POST", Scenario.GAMES).next(1)
            .respond(ScriptedResponse.status(429).header(Scenario.RESET_SECONDS, "3000"));
      }
    }
  }

  /**
   * The recipe as the README gives it, with exceptions: Retryer.NEVER_RETRY and
   * ExceptionPropagationPolicy.UNWRAP, so the caller catches the library's own typed exception
   * (the interface declares it); without UNWRAP it is the cause of Feign's RetryableException.
   */
  @Test
  void withExceptionsTheCallerCatchesOurTypedExceptionAndNothingIsResent() {
    Map<Refusal, Class<?>> caught = new EnumMap<>(Refusal.class);
    Map<Refusal, Class<?>> causes = new EnumMap<>(Refusal.class);
    for (Refusal refusal : Refusal.values()) {
      for (boolean unwrap : new boolean[] {true, false}) {
        RIG.sim.reset();
        OkHttpClient client = configured(RIG.resilience(true));
        Unwrapped api = Feign.builder().client(new feign.okhttp.OkHttpClient(client))
            .retryer(Retryer.NEVER_RETRY)
            .exceptionPropagationPolicy(unwrap ? ExceptionPropagationPolicy.UNWRAP : ExceptionPropagationPolicy.NONE)
            .decoder((response, type) -> response.status())
            .target(Unwrapped.class, RIG.base());
        refusal.script();
        Exception e = assertThrows(Exception.class, () -> refusal.send(api));
        if (unwrap) caught.put(refusal, e.getClass());
        else causes.put(refusal, e.getCause() == null ? null : e.getCause().getClass());
        assertEquals(1, RIG.sim.journal().count(refusal == Refusal.CONFLICT ? "PUT" : "POST", refusal.path()),
            refusal + " sent once");
        if (!unwrap) assertInstanceOf(RetryableException.class, e);
        client.dispatcher().executorService().shutdown();
      }
    }
    Map<Refusal, Class<?>> expected = Map.of(Refusal.CONFLICT, ConflictException.class,
        Refusal.VALIDATION, ValidationException.class, Refusal.RATE_LIMITED, RateLimitedException.class);
    assertEquals(expected, caught, "with UNWRAP");
    assertEquals(expected, causes, "without: the cause of Feign's RetryableException");
  }

  /** In responses mode (the default) Feign's ErrorDecoder makes its own FeignException of the status. */
  @Test
  void withResponsesTheCallerCatchesFeignsExceptionForTheStatus() {
    Map<Refusal, Class<?>> caught = new EnumMap<>(Refusal.class);
    for (Refusal refusal : Refusal.values()) {
      RIG.sim.reset();
      OkHttpClient client = configured(RIG.resilience(false));
      Unwrapped api = Feign.builder().client(new feign.okhttp.OkHttpClient(client))
          .retryer(Retryer.NEVER_RETRY)
          .decoder((response, type) -> response.status())
          .target(Unwrapped.class, RIG.base());
      refusal.script();
      caught.put(refusal, assertThrows(FeignException.class, () -> refusal.send(api)).getClass());
      assertEquals(1, RIG.sim.journal().count(refusal == Refusal.CONFLICT ? "PUT" : "POST", refusal.path()));
      client.dispatcher().executorService().shutdown();
    }
    assertEquals(Map.of(Refusal.CONFLICT, FeignException.Conflict.class,
        Refusal.VALIDATION, FeignException.UnprocessableEntity.class,
        Refusal.RATE_LIMITED, FeignException.TooManyRequests.class), caught);
  }
}
