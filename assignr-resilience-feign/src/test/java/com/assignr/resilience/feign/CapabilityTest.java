package com.assignr.resilience.feign;

import static com.assignr.resilience.feign.FeignRig.GAME;
import static com.assignr.resilience.feign.FeignRig.GAMES;
import static com.assignr.resilience.feign.FeignRig.GAME_ID;
import static com.assignr.resilience.feign.FeignRig.NEW_GAME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.assignr.resilience.AssignrException;
import com.assignr.resilience.AssignrResilience;
import com.assignr.resilience.ConflictException;
import com.assignr.resilience.jdk.AssignrHttpClient;
import com.assignr.resilience.okhttp.AssignrInterceptor;
import com.assignr.resilience.testkit.JournalEntry;
import feign.AsyncFeign;
import feign.Client;
import feign.ExceptionPropagationPolicy;
import feign.Feign;
import feign.FeignException;
import feign.Headers;
import feign.Param;
import feign.Request;
import feign.RequestLine;
import feign.RetryableException;
import feign.Retryer;
import feign.http2client.Http2Client;
import java.io.IOException;
import java.net.http.HttpClient;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** What the capability does to a Feign builder, call by call, against the simulator. */
@Timeout(60)
class CapabilityTest {
  static final FeignRig RIG = new FeignRig();

  @Headers("Content-Type: application/vnd.assignr.v2.hal+json")
  interface Api {
    @RequestLine("GET /current_account")
    String currentAccount();

    @RequestLine("GET /current_account")
    @Headers("Accept: application/json")
    String currentAccountAsJson();

    @RequestLine("POST /sites/1/games")
    String createGame(String json);

    /** Feign lets a call carry its own options: they must not bypass the library either. */
    @RequestLine("POST /sites/1/games")
    String createGame(String json, Request.Options options);

    @RequestLine("PUT /games/{id}")
    String updateGame(@Param("id") long id, String json);

    @RequestLine("PUT /games/{id}")
    String updateGameDeclaring(@Param("id") long id, String json) throws AssignrException;

    @RequestLine("PUT /games/{id}")
    String updateGameDeclaringIo(@Param("id") long id, String json) throws IOException;

  }

  interface AsyncApi {
    @RequestLine("GET /current_account")
    CompletableFuture<String> currentAccount();
  }

  @BeforeEach
  void freshSimulator() {
    RIG.sim.reset();
  }

  @AfterAll
  static void close() {
    RIG.close();
  }

  static Stream<Transport> transports() {
    return Transport.inThisRun();
  }

  static Api api(Feign.Builder builder) {
    return builder.target(Api.class, RIG.base());
  }

  static Feign.Builder withCapability(Transport transport, boolean throwOnFailure) {
    return FeignRig.feign().addCapability(transport.capability(RIG, RIG.resilience(throwOnFailure)));
  }

  // --- Retryer -------------------------------------------------------------------------------

  @ParameterizedTest
  @MethodSource("transports")
  void aRetryerDefaultSetExplicitlyIsReplacedToo(Transport transport) {
    Api api = api(withCapability(transport, true).retryer(new Retryer.Default(1, 1, 5)));
    assertThrows(AssignrFeignException.class, () -> api.updateGame(GAME_ID, RIG.stalePut()));
    assertEquals(1, RIG.arrivals("PUT", GAME));
  }

  @ParameterizedTest
  @MethodSource("transports")
  void aRetryerOfAnotherClassIsRefusedWhenFeignBuildsNamingTheFix(Transport transport) {
    Retryer own = new Retryer() {
      @Override
      public void continueOrPropagate(RetryableException e) {}

      @Override
      public Retryer clone() {
        return this;
      }
    };
    Feign.Builder builder = withCapability(transport, true).retryer(own);
    RuntimeException thrown = assertThrows(RuntimeException.class, () -> api(builder));
    IllegalStateException refusal = cause(thrown, IllegalStateException.class);
    assertTrue(refusal.getMessage().startsWith("Feign's Retryer is a " + own.getClass().getName() + ":"),
        refusal.getMessage());
    assertTrue(refusal.getMessage().contains("Remove .retryer(...) from the Feign builder"), refusal.getMessage());
    assertEquals(0, RIG.sim.journal().count(), "nothing sent");
  }

  // --- Client --------------------------------------------------------------------------------

  /** Feign's default client (HttpURLConnection) and a feign-okhttp client without the library. */
  @ParameterizedTest
  @MethodSource("transports")
  void aClientAlreadyOnTheBuilderIsReplacedByTheLibrarysTransport(Transport transport) {
    List<Client> clients = List.of(new Client.Default(RIG.sim.sslContext().getSocketFactory(), null),
        new feign.okhttp.OkHttpClient(RIG.okHttp()));
    for (Client client : clients) {
      RIG.sim.reset();
      RIG.sim.script().on("POST", GAMES).next(1).respondStatus(503);
      Api api = api(withCapability(transport, true).client(client));
      assertNotNull(api.createGame(NEW_GAME));
      assertEquals(2, RIG.arrivals("POST", GAMES), client + ": the 503 retried by the library");
    }
  }

  /**
   * feign-java11 builds a plain HttpClient of its own when Feign's options disagree with the
   * client's (redirects, connect timeout): with Feign's default options the decorator was bypassed
   * and a 503 came back unretried. Through the capability, neither the builder's options nor a
   * call's own can do that.
   */
  @Test
  void feignsDefaultOptionsAndACallsOwnNoLongerBypassTheJdkDecorator() {
    // The control: the decorator under Http2Client, Feign's default options.
    AssignrResilience resilience = RIG.resilience(false);
    Api bare = api(FeignRig.feign().client(new Http2Client(AssignrHttpClient.wrap(RIG.jdk(), resilience)))
        .retryer(Retryer.NEVER_RETRY));
    RIG.sim.script().on("POST", GAMES).next(1).respondStatus(503);
    FeignException bypassed = assertThrows(FeignException.class, () -> bare.createGame(NEW_GAME));
    assertEquals(503, bypassed.status());
    assertEquals(1, RIG.arrivals("POST", GAMES), "sent by Http2Client's own client: nothing retried");

    Request.Options redirecting = new Request.Options(7, TimeUnit.SECONDS, 30, TimeUnit.SECONDS, true);
    for (boolean perCall : new boolean[] {false, true}) {
      RIG.sim.reset();
      Feign.Builder builder = withCapability(Transport.JAVA11, false);
      if (!perCall) builder.options(new Request.Options()); // Feign's default, stated
      Api api = api(builder);
      RIG.sim.script().on("POST", GAMES).next(1).respondStatus(503);
      assertNotNull(perCall ? api.createGame(NEW_GAME, redirecting) : api.createGame(NEW_GAME));
      assertEquals(2, RIG.arrivals("POST", GAMES), (perCall ? "a call's" : "the builder's") + " options");
    }
  }

  @ParameterizedTest
  @MethodSource("transports")
  void aCallsOwnOptionsCannotTurnRedirectsBackOn(Transport transport) {
    Api api = api(withCapability(transport, false));
    RIG.sim.script().on("POST", GAMES).next(1).respondStatus(503);
    assertNotNull(api.createGame(NEW_GAME, new Request.Options(7, TimeUnit.SECONDS, 30, TimeUnit.SECONDS, true)));
    assertEquals(2, RIG.arrivals("POST", GAMES));
  }

  /**
   * Feign's transports send {@code Accept: *}{@code /*} when the request has none, so the adapter
   * below never added Assignr's: every request of the old recipe went without it.
   */
  @ParameterizedTest
  @MethodSource("transports")
  void requestsCarryAssignrsAcceptUnlessTheCallerChoseOne(Transport transport) {
    Api without = api(FeignRig.feign().client(new feign.okhttp.OkHttpClient(
        AssignrInterceptor.configure(RIG.okHttp().newBuilder(), RIG.resilience(false)).build())));
    assertNotNull(without.currentAccount());
    assertEquals(1, RIG.sim.journal().withoutAcceptHeader().size(), "the control: feign-okhttp sent */*");

    RIG.sim.reset();
    Api api = api(withCapability(transport, false));
    assertNotNull(api.currentAccount());
    assertNotNull(api.createGame(NEW_GAME));
    assertEquals(List.of(), RIG.sim.journal().withoutAcceptHeader());
    assertNotNull(api.currentAccountAsJson());
    JournalEntry own = RIG.sim.journal().last().orElseThrow();
    assertFalse(own.acceptHeaderValid(), "the caller's own Accept is sent as it is");
  }

  // --- What the caller holds -----------------------------------------------------------------

  @ParameterizedTest
  @MethodSource("transports")
  void aMethodThatDeclaresTheLibrarysExceptionGetsItItself(Transport transport) {
    Api api = api(withCapability(transport, true));
    assertInstanceOf(ConflictException.class,
        assertThrows(AssignrException.class, () -> api.updateGameDeclaring(GAME_ID, RIG.stalePut())));
    assertInstanceOf(ConflictException.class,
        assertThrows(IOException.class, () -> api.updateGameDeclaringIo(GAME_ID, RIG.stalePut())));
    assertEquals(2, RIG.arrivals("PUT", GAME));
  }

  /** Neither Feign's RetryableException nor, with UNWRAP, an UndeclaredThrowableException. */
  @ParameterizedTest
  @MethodSource("transports")
  void aMethodThatDoesNotDeclareItGetsAnAssignrFeignExceptionWhateverThePropagationPolicy(Transport transport) {
    for (ExceptionPropagationPolicy policy : ExceptionPropagationPolicy.values()) {
      Api api = api(withCapability(transport, true).exceptionPropagationPolicy(policy));
      AssignrFeignException thrown =
          assertThrows(AssignrFeignException.class, () -> api.updateGame(GAME_ID, RIG.stalePut()), policy.name());
      assertEquals(409, thrown.status());
      assertInstanceOf(ConflictException.class, thrown.assignrException());
      assertSame(thrown.getCause(), thrown.assignrException());
      assertTrue(thrown.getMessage().contains("409"), thrown.getMessage());
      assertTrue(thrown.responseBody().isPresent(), "the body excerpt");
      assertSame(thrown.assignrException(), AssignrFeign.assignrException(thrown).orElseThrow());
    }
  }

  @ParameterizedTest
  @MethodSource("transports")
  void theBuildersErrorDecoderIsKept(Transport transport) {
    class Stale extends RuntimeException {
      Stale() {
        super("stale");
      }
    }
    Api api = api(withCapability(transport, false).errorDecoder((key, response) ->
        response.status() == 409 ? new Stale() : new IllegalStateException()));
    assertThrows(Stale.class, () -> api.updateGame(GAME_ID, RIG.stalePut()));
  }

  /** Failures that are not the library's pass through untouched: here the decoder's. */
  @ParameterizedTest
  @MethodSource("transports")
  void otherFailuresPassThroughUntouched(Transport transport) {
    IllegalArgumentException decoding = new IllegalArgumentException("not a game");
    Api api = api(withCapability(transport, true).decoder((response, type) -> {
      throw decoding;
    }));
    assertSame(decoding, assertThrows(FeignException.class, api::currentAccount).getCause());
  }

  // --- Bodies --------------------------------------------------------------------------------

  /**
   * Every response the library or Feign does not hand to the caller is closed: after refusals in
   * both modes, a 503 run out and a 500, OkHttp's pool has no connection still in use. A response
   * the caller holds shows the check can see one.
   */
  @Test
  void noConnectionIsLeftInUse() throws IOException {
    for (boolean throwOnFailure : new boolean[] {true, false}) {
      Api api = api(withCapability(Transport.OKHTTP, throwOnFailure));
      RIG.sim.script().on("POST", GAMES).next(5).respondStatus(503);
      assertThrows(FeignException.class, () -> api.createGame(NEW_GAME));
      RIG.sim.script().on("POST", GAMES).next(1).respondStatus(500);
      assertThrows(FeignException.class, () -> api.createGame(NEW_GAME));
      assertThrows(FeignException.class, () -> api.createGame(FeignRig.INVALID_GAME));
      assertThrows(FeignException.class, () -> api.updateGame(GAME_ID, RIG.stalePut()));
      assertTrue(RIG.pool.connectionCount() > 0);
      assertEquals(RIG.pool.connectionCount(), RIG.pool.idleConnectionCount(), "throwOnFailure " + throwOnFailure);

      okhttp3.Response held = RIG.okHttp().newCall(new okhttp3.Request.Builder().url(RIG.base() + "/current_account")
          .header("Authorization", FeignRig.TOKEN).build()).execute();
      assertEquals(RIG.pool.connectionCount() - 1, RIG.pool.idleConnectionCount(), "a response held open");
      held.close();
      assertEquals(RIG.pool.connectionCount(), RIG.pool.idleConnectionCount());
    }
  }

  // --- Refusals at setup ---------------------------------------------------------------------

  @Test
  void asyncFeignIsRefused() {
    AsyncFeign.AsyncBuilder<Object> builder = AsyncFeign.builder()
        .addCapability(AssignrFeign.okHttp(RIG.okHttp(), RIG.resilience(true)));
    RuntimeException thrown = assertThrows(RuntimeException.class, () -> builder.target(AsyncApi.class, RIG.base()));
    assertTrue(cause(thrown, UnsupportedOperationException.class).getMessage().contains("not AsyncFeign"));
  }

  @Test
  void java11RefusesAClientFeignWouldReplace() {
    AssignrResilience resilience = RIG.resilience(true);
    IllegalArgumentException noTimeout = assertThrows(IllegalArgumentException.class,
        () -> AssignrFeign.java11(HttpClient.newHttpClient(), resilience));
    assertTrue(noTimeout.getMessage().startsWith("client: an HttpClient without a connectTimeout"), noTimeout.getMessage());

    IllegalArgumentException redirecting = assertThrows(IllegalArgumentException.class,
        () -> AssignrFeign.java11(HttpClient.newBuilder().connectTimeout(FeignRig.CONNECT)
            .followRedirects(HttpClient.Redirect.NORMAL).build(), resilience));
    assertTrue(redirecting.getMessage().contains("follows redirects"), redirecting.getMessage());

    AssignrHttpClient other = AssignrHttpClient.wrap(RIG.jdk(), RIG.resilience(true));
    IllegalArgumentException another = assertThrows(IllegalArgumentException.class,
        () -> AssignrFeign.java11(other, resilience));
    assertTrue(another.getMessage().contains("wrapped with another AssignrResilience"), another.getMessage());

    AssignrHttpClient same = AssignrHttpClient.wrap(RIG.jdk(), resilience);
    assertSame(resilience, AssignrFeign.java11(same, resilience).resilience());
  }

  @Test
  void anOkHttpClientAlreadyCarryingTheInterceptorIsConfiguredForTheCapabilitysConfigurationOnly() {
    AssignrResilience resilience = RIG.resilience(false);
    OkHttpClient configured = AssignrInterceptor.configure(RIG.okHttp().newBuilder(), RIG.resilience(false)).build();
    Api api = api(FeignRig.feign().addCapability(AssignrFeign.okHttp(configured, resilience)));
    RIG.sim.script().on("POST", GAMES).always().respondStatus(503);
    assertEquals(503, assertThrows(FeignException.ServiceUnavailable.class, () -> api.createGame(NEW_GAME)).status());
    assertEquals(resilience.policy().maxAttempts(), RIG.arrivals("POST", GAMES),
        "one interceptor's attempts (two would retry each other's: 25)");
  }

  /**
   * Feign finds a capability's {@code enrich} methods with {@code getMethods()}, and Spring scans a
   * bean's declared members: either fails on an application without OkHttp if the capability's
   * class names an OkHttp type anywhere (ModulePathIT runs such an application).
   */
  @Test
  void theCapabilitysClassNamesNoOkHttpType() {
    List<Class<?>> named = new java.util.ArrayList<>();
    for (java.lang.reflect.Method m : AssignrCapability.class.getDeclaredMethods()) {
      named.add(m.getReturnType());
      named.addAll(List.of(m.getParameterTypes()));
    }
    for (java.lang.reflect.Constructor<?> c : AssignrCapability.class.getDeclaredConstructors()) {
      named.addAll(List.of(c.getParameterTypes()));
    }
    for (java.lang.reflect.Field f : AssignrCapability.class.getDeclaredFields()) named.add(f.getType());
    assertEquals(List.of(), named.stream().filter(t -> t.getName().startsWith("okhttp3.")
        || t.getName().startsWith("feign.okhttp.") || t.getName().startsWith("feign.http2client.")).toList());
  }

  private static <T extends Throwable> T cause(Throwable thrown, Class<T> type) {
    for (Throwable t = thrown; t != null; t = t.getCause()) {
      if (type.isInstance(t)) return type.cast(t);
    }
    throw new AssertionError("no " + type.getSimpleName() + " in " + thrown, thrown);
  }
}
