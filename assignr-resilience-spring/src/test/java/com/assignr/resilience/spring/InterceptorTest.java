package com.assignr.resilience.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.assignr.resilience.AssignrResilience;
import com.assignr.resilience.ConflictException;
import com.assignr.resilience.InsecureRequestException;
import com.assignr.resilience.RetryListener;
import com.assignr.resilience.StopReason;
import com.assignr.resilience.jdk.AssignrHttpClient;
import com.assignr.resilience.testkit.VirtualTime;
import com.assignr.resilience.testkit.AssignrSimulator;
import com.assignr.resilience.testkit.JournalEntry;
import com.assignr.resilience.testkit.ScriptedResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.HttpServerErrorException;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;

/**
 * The interceptor through {@code RestClient} and {@code RestTemplate} against the simulator on
 * virtual time. What reached the server is read from the simulator's journal.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class InterceptorTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String GAMES = "/sites/1/games";
  static final String CONFIRM = "/assignments/10011/confirm";
  static final SwitchableClock clock = new SwitchableClock();
  static final boolean SPRING_7 = org.springframework.core.SpringVersion.getVersion().startsWith("7.");
  static AssignrSimulator sim;

  VirtualTime vt;

  @BeforeAll
  static void startSimulator() {
    sim = AssignrSimulator.builder().clock(clock).start();
  }

  @AfterAll
  static void stopSimulator() {
    sim.close();
  }

  @BeforeEach
  void reset() {
    sim.reset();
    vt = VirtualTime.autoAdvancing();
    clock.use(vt.clock());
  }

  /** Defaults on virtual time, jitter pinned at its minimum, plain HTTP to the local simulator. */
  AssignrResilience.Builder config() {
    return AssignrResilience.builder().timeSource(vt).random(() -> 0.0).allowInsecureLoopback(true)
        .listener(RetryListener.NONE);
  }

  SpringClient.Api api(SpringClient client, AssignrResilience resilience) {
    return client.build(List.of(AssignrClientHttpRequestInterceptor.create(resilience)));
  }

  static String url(String path) {
    return sim.httpBaseUrl() + path;
  }

  static List<JournalEntry> arrivals(String method, String path) {
    return sim.journal().entries(method, "/api/v2" + path);
  }

  @ParameterizedTest
  @EnumSource(SpringClient.class)
  void pages_through_every_game_riding_out_a_503_on_the_way(SpringClient client) throws Exception {
    SpringClient.Api api = api(client, config().build());
    List<Long> ids = new ArrayList<>();
    String next = url(GAMES + "?limit=50");
    for (int page = 1; next != null; page++) {
      if (page == 2) sim.script().serviceUnavailable(1);
      JsonNode body = JSON.readTree(api.get(next));
      body.path("_embedded").path("games").forEach(g -> ids.add(g.path("id").asLong()));
      next = body.path("_links").path("next").path("href").asText(null);
    }

    assertEquals(120, ids.size());
    assertEquals(120, ids.stream().distinct().count());
    List<Integer> statuses = arrivals("GET", GAMES).stream().map(JournalEntry::status).toList();
    assertEquals(List.of(200, 503, 200, 200), statuses, "three pages, page 2 retried once");
    assertEquals(List.of(Duration.ofMillis(500)), vt.sleeps(), "the first backoff, jitter pinned");
  }

  @Test
  void restClient_requests_carry_assignrs_accept_header() {
    api(SpringClient.REST_CLIENT, config().build()).get(url(GAMES));

    assertEquals(List.of(), sim.journal().withoutAcceptHeader(), "the interceptor added Accept");
  }

  @ParameterizedTest
  @EnumSource(SpringClient.class)
  void every_post_carries_a_content_type_with_or_without_a_body_and_the_callers_own_wins(SpringClient client) {
    SpringClient.Api api = api(client, config().build());

    api.post(url(CONFIRM));
    api.send(HttpMethod.POST, url(CONFIRM), "{}");
    api.get(url(GAMES));

    assertEquals(Arrays.asList(AssignrResilience.ASSIGNR_MEDIA_TYPE, SpringClient.ASSIGNR.toString(), null),
        sim.journal().entries().stream().map(JournalEntry::contentType).toList());
    assertEquals(List.of(), sim.journal().postsWithoutContentType(), "Assignr asks a Content-Type of every POST");
  }

  @ParameterizedTest
  @EnumSource(SpringClient.class)
  void a_caller_set_content_type_on_a_bodiless_post_is_kept(SpringClient client) {
    AssignrClientHttpRequestInterceptor formWrites = AssignrClientHttpRequestInterceptor.create(
        config().writeContentType("application/x-www-form-urlencoded").build());
    ClientHttpRequestInterceptor callersOwn = (request, body, execution) -> {
      request.getHeaders().set(HttpHeaders.CONTENT_TYPE, "text/plain");
      return execution.execute(request, body);
    };
    client.build(List.of(formWrites)).post(url(CONFIRM));
    client.build(List.of(callersOwn, formWrites)).post(url(CONFIRM));

    assertEquals(List.of("application/x-www-form-urlencoded", "text/plain"),
        sim.journal().entries().stream().map(JournalEntry::contentType).toList());
  }

  @ParameterizedTest
  @EnumSource(SpringClient.class)
  void a_post_answered_503_is_sent_again(SpringClient client) {
    SpringClient.Api api = api(client, config().build());
    sim.script().serviceUnavailable(1);

    assertEquals(200, api.send(HttpMethod.POST, url(CONFIRM), "{}").getStatusCode().value());

    assertEquals(List.of(503, 200), arrivals("POST", CONFIRM).stream().map(JournalEntry::status).toList());
  }

  @ParameterizedTest
  @EnumSource(SpringClient.class)
  void a_post_answered_500_reaches_the_server_once_and_surfaces_as_springs_exception(SpringClient client) {
    SpringClient.Api api = api(client, config().build());
    sim.script().next(1).respondStatus(500);

    assertThrows(HttpServerErrorException.InternalServerError.class,
        () -> api.send(HttpMethod.POST, url(CONFIRM), "{}"));

    assertEquals(1, arrivals("POST", CONFIRM).size());
  }

  @ParameterizedTest
  @EnumSource(SpringClient.class)
  void a_429_is_waited_out_until_the_reset(SpringClient client) {
    SpringClient.Api api = api(client, config().build());
    sim.script().respond(ScriptedResponse.status(429).header("X-Ratelimit-Reset-Seconds-Remaining", "7"));

    api.get(url(GAMES));

    assertEquals(List.of(429, 200), arrivals("GET", GAMES).stream().map(JournalEntry::status).toList());
    assertEquals(List.of(Duration.ofSeconds(8)), vt.sleeps(), "7 s to the reset + 1 s margin");
  }

  /** Issue 18: one absurd header must not outvote a plausible one (Reset = Date + 5 s). */
  @ParameterizedTest
  @EnumSource(SpringClient.class)
  void a_429_with_an_absurd_seconds_remaining_waits_for_the_plausible_reset(SpringClient client) {
    SpringClient.Api api = api(client, config().build());
    long reset = vt.instant().getEpochSecond() + 5;
    sim.script().respond(ScriptedResponse.status(429).header("X-Ratelimit-Reset-Seconds-Remaining", "1000000000")
        .header("X-Ratelimit-Reset", Long.toString(reset)));

    api.get(url(GAMES));

    List<JournalEntry> arrivals = arrivals("GET", GAMES);
    assertEquals(List.of(429, 200), arrivals.stream().map(JournalEntry::status).toList());
    assertTrue(!arrivals.get(1).arrivedAt().isBefore(java.time.Instant.ofEpochSecond(reset)), arrivals::toString);
    assertEquals(List.of(Duration.ofSeconds(6)), vt.sleeps(), "5 s to the Reset + 1 s margin");
  }

  /** Every usable header absurd: one arrival, a give-up at once with the far reset as retryAt. */
  @ParameterizedTest
  @EnumSource(SpringClient.class)
  void a_429_whose_every_header_is_absurd_is_given_up_at_once_with_retryAt(SpringClient client) {
    SpringClient.Api api = api(client, config().throwOnFailure(true).build());
    java.time.Instant start = vt.instant();
    sim.script().respond(ScriptedResponse.status(429).header("X-Ratelimit-Reset-Seconds-Remaining", "1000000000")
        .header("X-Ratelimit-Reset", "1000000000000").header("Retry-After", "1000000000"));

    ResourceAccessException e = assertThrows(ResourceAccessException.class, () -> api.get(url(GAMES)));

    com.assignr.resilience.RateLimitedException limited = assertInstanceOf(
        com.assignr.resilience.RateLimitedException.class,
        AssignrClientHttpRequestInterceptor.assignrException(e).orElseThrow());
    assertEquals(StopReason.WAIT_EXCEEDS_CAP, limited.stopReason());
    assertEquals(start.plusSeconds(1_000_000_001L), limited.retryAt(), "10^9 s + the 1 s margin");
    assertEquals(1, arrivals("GET", GAMES).size());
    assertEquals(List.of(), vt.sleeps());
    assertTrue(Duration.between(start, vt.instant()).toMillis() <= 50, "no time passed");
  }

  @ParameterizedTest
  @EnumSource(SpringClient.class)
  void a_stale_put_is_springs_409_exception_and_is_not_resent(SpringClient client) {
    SpringClient.Api api = api(client, config().build());
    long stale = sim.lockVersion(1001) - 1;

    HttpClientErrorException.Conflict e = assertThrows(HttpClientErrorException.Conflict.class,
        () -> api.send(HttpMethod.PUT, url("/games/1001"), gameJson(stale)));

    assertTrue(e.getResponseBodyAsString().contains("stale"), e.getResponseBodyAsString());
    assertEquals(1, arrivals("PUT", "/games/1001").size());
  }

  @ParameterizedTest
  @EnumSource(SpringClient.class)
  void with_throwOnFailure_a_stale_put_is_a_ConflictException(SpringClient client) {
    SpringClient.Api api = api(client, config().throwOnFailure(true).build());
    long stale = sim.lockVersion(1001) - 1;

    ResourceAccessException e = assertThrows(ResourceAccessException.class,
        () -> api.send(HttpMethod.PUT, url("/games/1001"), gameJson(stale)));

    ConflictException conflict = assertInstanceOf(ConflictException.class,
        AssignrClientHttpRequestInterceptor.assignrException(e).orElseThrow());
    assertEquals(409, conflict.status());
    assertEquals(1, conflict.attempts());
    assertEquals(StopReason.NOT_RETRYABLE, conflict.stopReason());
    assertEquals(1, arrivals("PUT", "/games/1001").size());
  }

  /**
   * Spring Framework 7 builds the chain as nested executions, so calling {@code execute} again runs
   * everything after the interceptor again (and a new request from the factory): the interceptor
   * after ours sees every attempt, the one before it sees the call once.
   */
  @ParameterizedTest
  @EnumSource(SpringClient.class)
  void each_attempt_runs_the_rest_of_the_chain_again(SpringClient client) {
    AtomicInteger outer = new AtomicInteger();
    AtomicInteger inner = new AtomicInteger();
    ClientHttpRequestInterceptor counting = (request, body, execution) -> {
      outer.incrementAndGet();
      return execution.execute(request, body);
    };
    ClientHttpRequestInterceptor next = (request, body, execution) -> {
      inner.incrementAndGet();
      return execution.execute(request, body);
    };
    SpringClient.Api api = client.build(List.of(counting,
        AssignrClientHttpRequestInterceptor.create(config().build()), next));
    sim.script().serviceUnavailable(2);

    api.send(HttpMethod.POST, url(CONFIRM), "{}");

    assertEquals(1, outer.get());
    if (SPRING_7) {
      assertEquals(3, inner.get(), "execute was called once per attempt, and ran the next interceptor each time");
    } else {
      // Spring 6 walks the chain with one iterator: retries go straight to the request factory,
      // skipping the interceptors after ours (hence "add it last" on Spring 6).
      assertEquals(1, inner.get(), "on Spring 6 only the first attempt passes the later interceptors");
    }
    assertEquals(List.of(503, 503, 200), arrivals("POST", CONFIRM).stream().map(JournalEntry::status).toList());
  }

  /** A full game edit as Assignr takes it: date and start time, and the lock_version read. */
  static String gameJson(long lockVersion) {
    return "{\"game\":{\"date\":\"2025-09-06\",\"start_time\":\"09:00\",\"lock_version\":" + lockVersion + "}}";
  }

  @Test
  void plain_http_is_refused_before_anything_is_sent() {
    SpringClient.Api api = api(SpringClient.REST_CLIENT, config().allowInsecureLoopback(false).build());

    ResourceAccessException e = assertThrows(ResourceAccessException.class, () -> api.get(url(GAMES)));

    assertInstanceOf(InsecureRequestException.class, e.getCause());
    assertEquals(0, sim.journal().count());
  }

  /**
   * The other way to use the library with Spring: the JDK decorator as {@code RestClient}'s request
   * factory. Reads are retried; Spring's JDK factory streams request bodies through a single-use
   * publisher, which the decorator copies (up to {@code WrapOptions.replayCopyLimit()}, 1 MiB) so a
   * write answered 503 is resent too.
   */
  @Test
  void the_jdk_decorator_as_request_factory_retries_reads_and_writes_after_503() {
    HttpClient wrapped = AssignrHttpClient.wrap(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build(),
        config().build());
    RestClient client = RestClient.builder().requestFactory(new JdkClientHttpRequestFactory(wrapped))
        .defaultHeader(HttpHeaders.AUTHORIZATION, SpringClient.TOKEN).build();

    sim.script().serviceUnavailable(1);
    String games = client.get().uri(URI.create(url(GAMES))).retrieve().body(String.class);
    sim.script().serviceUnavailable(1);
    client.post().uri(URI.create(url(CONFIRM))).body("{}").retrieve().toBodilessEntity();

    assertTrue(games.contains("\"games\""), games);
    assertEquals(List.of(503, 200), arrivals("GET", GAMES).stream().map(JournalEntry::status).toList());
    assertEquals(List.of(503, 200), arrivals("POST", CONFIRM).stream().map(JournalEntry::status).toList());
  }
}
