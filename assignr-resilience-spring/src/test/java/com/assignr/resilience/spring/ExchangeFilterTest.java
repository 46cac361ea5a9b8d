package com.assignr.resilience.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.assignr.resilience.AssignrResilience;
import com.assignr.resilience.ConflictException;
import com.assignr.resilience.InsecureRequestException;
import com.assignr.resilience.RateLimitedException;
import com.assignr.resilience.RetryListener;
import com.assignr.resilience.ServerErrorException;
import com.assignr.resilience.StopReason;
import com.assignr.resilience.TransportException;
import com.assignr.resilience.oauth.AssignrOAuth;
import com.assignr.resilience.oauth.Credentials;
import com.assignr.resilience.testkit.AssignrSimulator;
import com.assignr.resilience.testkit.JournalEntry;
import com.assignr.resilience.testkit.ScriptedResponse;
import com.assignr.resilience.testkit.VirtualTime;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientResponseException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * The filter through {@code WebClient} on Reactor Netty and on the JDK connector, against the
 * simulator on virtual time: what reached the server is read from its journal, what the library
 * waited from the virtual time's record of scheduled tasks (nothing here ever sleeps).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ExchangeFilterTest extends WebClientTestBase {
  static final Duration BLOCK = Duration.ofSeconds(20);
  static final MediaType ASSIGNR = MediaType.parseMediaType(AssignrResilience.ASSIGNR_MEDIA_TYPE);

  /** Blocks for {@code mono}, throwing what it failed with (block() wraps checked exceptions). */
  static <T> T await(Mono<T> mono) throws Throwable {
    try {
      return mono.block(BLOCK);
    } catch (RuntimeException e) {
      throw reactor.core.Exceptions.unwrap(e);
    }
  }

  static Mono<Integer> post(WebClient client, String path, String json) {
    return client.post().uri(path).contentType(ASSIGNR).bodyValue(json).retrieve().toBodilessEntity()
        .map(e -> e.getStatusCode().value());
  }

  @ParameterizedTest
  @EnumSource(Connector.class)
  void a_get_answered_429_is_sent_again_after_the_reset_without_a_thread_waiting(Connector connector) {
    VirtualTime vt = auto();
    WebClient client = client(connector, AssignrExchangeFilterFunction.create(config(vt).build()));
    sim.script().respond(ScriptedResponse.status(429).header("X-Ratelimit-Reset-Seconds-Remaining", "7"));

    String games = client.get().uri(GAMES).retrieve().bodyToMono(String.class).block(BLOCK);

    assertTrue(games.contains("\"games\""), games);
    List<JournalEntry> arrivals = arrivals("GET", GAMES);
    assertEquals(List.of(429, 200), arrivals.stream().map(JournalEntry::status).toList());
    Duration apart = Duration.between(arrivals.get(0).arrivedAt(), arrivals.get(1).arrivedAt());
    assertTrue(apart.compareTo(Duration.ofSeconds(7)) >= 0, "the second arrived after the reset: " + apart);
    assertEquals(List.of(Duration.ofSeconds(8)), vt.scheduledDelays(), "7 s to the reset + 1 s margin, scheduled");
    assertEquals(List.of(), vt.sleeps(), "no thread slept");
  }

  @ParameterizedTest
  @EnumSource(Connector.class)
  void a_post_answered_503_is_sent_again_with_its_body(Connector connector) {
    VirtualTime vt = auto();
    WebClient client = client(connector, AssignrExchangeFilterFunction.create(config(vt).build()));
    int gamesBefore = sim.gameCount(1);
    sim.script().serviceUnavailable(1);

    assertEquals(201, post(client, GAMES, NEW_GAME).block(BLOCK));

    assertEquals(List.of(503, 201), statuses("POST", GAMES));
    assertEquals(gamesBefore + 1, sim.gameCount(1), "the resent body was whole: the game was created");
  }

  /**
   * A body the caller's publisher can give only once (a unicast sink, as a stream read once): the
   * retry after the 503 sends the copy taken as the first attempt wrote it.
   */
  @ParameterizedTest
  @EnumSource(Connector.class)
  void a_single_use_body_answered_503_is_resent_from_its_copy(Connector connector) {
    VirtualTime vt = auto();
    WebClient client = client(connector, AssignrExchangeFilterFunction.create(config(vt).build()));
    int gamesBefore = sim.gameCount(1);
    sim.script().serviceUnavailable(1);

    int status = client.post().uri(GAMES).contentType(ASSIGNR).body(BodyInserters.fromDataBuffers(singleUse(NEW_GAME)))
        .retrieve().toBodilessEntity().block(BLOCK).getStatusCode().value();

    assertEquals(201, status);
    assertEquals(List.of(503, 201), statuses("POST", GAMES));
    assertEquals(gamesBefore + 1, sim.gameCount(1));
  }

  /** A body over the copy limit is sent once; the retry the 503 asked for sends nothing. */
  @ParameterizedTest
  @EnumSource(Connector.class)
  void a_body_over_the_copy_limit_is_sent_once_and_never_again(Connector connector) {
    VirtualTime vt = auto();
    WebClient client = client(connector,
        AssignrExchangeFilterFunction.builder(config(vt).build()).replayCopyLimit(16).build());
    sim.script().serviceUnavailable(1);

    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> await(client.post().uri(GAMES).contentType(ASSIGNR).body(BodyInserters.fromDataBuffers(singleUse(NEW_GAME)))
            .retrieve().toBodilessEntity()));

    assertTrue(e.getMessage().contains("was not sent again"), e.getMessage());
    assertEquals(List.of(503), statuses("POST", GAMES));
  }

  @ParameterizedTest
  @EnumSource(Connector.class)
  void a_post_answered_500_reaches_the_server_once(Connector connector) {
    VirtualTime vt = auto();
    WebClient client = client(connector, AssignrExchangeFilterFunction.create(config(vt).build()));
    sim.script().next(1).respondStatus(500);

    assertThrows(WebClientResponseException.InternalServerError.class, () -> await(post(client, CONFIRM, "{}")));

    assertEquals(List.of(500), statuses("POST", CONFIRM));
  }

  @ParameterizedTest
  @EnumSource(Connector.class)
  void with_throwOnFailure_a_post_answered_500_is_a_ServerErrorException_after_one_arrival(Connector connector) {
    VirtualTime vt = auto();
    WebClient client = client(connector, AssignrExchangeFilterFunction.create(config(vt).throwOnFailure(true).build()));
    sim.script().next(1).respond(ScriptedResponse.status(500).body("{\"error\":\"boom\"}"));

    ServerErrorException e = assertThrows(ServerErrorException.class, () -> await(post(client, CONFIRM, "{}")));

    assertEquals(500, e.status());
    assertEquals(StopReason.NOT_IDEMPOTENT, e.stopReason());
    assertTrue(e.bodyExcerpt().contains("boom"), e.bodyExcerpt());
    assertEquals(List.of(500), statuses("POST", CONFIRM));
  }

  @ParameterizedTest
  @EnumSource(Connector.class)
  void a_processed_post_whose_answer_is_lost_is_not_sent_again(Connector connector) {
    VirtualTime vt = auto();
    WebClient client = client(connector, AssignrExchangeFilterFunction.create(config(vt).build()));
    assertEquals(200, client.get().uri(GAMES).retrieve().toBodilessEntity().block(BLOCK).getStatusCode().value(),
        "a warm-up GET pools a connection");
    int gamesBefore = sim.gameCount(1);
    sim.script().on("POST", "/api/v2" + GAMES).next(1).processThenClose();

    TransportException e = assertThrows(TransportException.class, () -> await(post(client, GAMES, NEW_GAME)));

    assertEquals(StopReason.NOT_IDEMPOTENT, e.stopReason());
    assertEquals(1, arrivals("POST", GAMES).size());
    assertTrue(arrivals("POST", GAMES).get(0).processed());
    assertEquals(gamesBefore + 1, sim.gameCount(1), "one game, created once");
  }

  @ParameterizedTest
  @EnumSource(Connector.class)
  void a_stale_put_is_springs_409_and_is_not_resent(Connector connector) {
    VirtualTime vt = auto();
    WebClient client = client(connector, AssignrExchangeFilterFunction.create(config(vt).build()));

    WebClientResponseException.Conflict e = assertThrows(WebClientResponseException.Conflict.class,
        () -> await(client.put().uri("/games/1001").contentType(ASSIGNR).bodyValue(gameJson(sim.lockVersion(1001) - 1))
            .retrieve().toBodilessEntity()));

    assertTrue(e.getResponseBodyAsString().contains("stale"), e.getResponseBodyAsString());
    assertEquals(List.of(409), statuses("PUT", "/games/1001"));
  }

  @ParameterizedTest
  @EnumSource(Connector.class)
  void with_throwOnFailure_a_stale_put_is_a_ConflictException_with_the_body_excerpt(Connector connector) {
    VirtualTime vt = auto();
    WebClient client = client(connector, AssignrExchangeFilterFunction.create(config(vt).throwOnFailure(true).build()));

    ConflictException e = assertThrows(ConflictException.class,
        () -> await(client.put().uri("/games/1001").contentType(ASSIGNR).bodyValue(gameJson(sim.lockVersion(1001) - 1))
            .retrieve().toBodilessEntity()));

    assertEquals(409, e.status());
    assertEquals(1, e.attempts());
    assertTrue(e.bodyExcerpt().contains("stale"), e.bodyExcerpt());
    assertEquals(List.of(409), statuses("PUT", "/games/1001"));
  }

  @ParameterizedTest
  @EnumSource(Connector.class)
  void assignrs_accept_and_every_posts_content_type_are_added_unless_set(Connector connector) {
    VirtualTime vt = auto();
    List<HttpHeaders> seen = new CopyOnWriteArrayList<>();
    ExchangeFilterFunction recording = (request, next) -> {
      seen.add(request.headers());
      return next.exchange(request);
    };
    WebClient client = client(connector, AssignrExchangeFilterFunction.create(config(vt).build()), recording);

    client.get().uri(GAMES).retrieve().toBodilessEntity().block(BLOCK);
    client.post().uri(GAMES).bodyValue(NEW_GAME).retrieve().toBodilessEntity().block(BLOCK);
    client.post().uri(CONFIRM).contentType(MediaType.APPLICATION_JSON).bodyValue("{}").retrieve().toBodilessEntity()
        .block(BLOCK);
    client.post().uri(CONFIRM).retrieve().toBodilessEntity().block(BLOCK);

    assertEquals(List.of(), sim.journal().withoutAcceptHeader(), "every request carried Assignr's Accept");
    assertEquals(AssignrResilience.ASSIGNR_MEDIA_TYPE, seen.get(1).getFirst(HttpHeaders.CONTENT_TYPE));
    assertEquals(MediaType.APPLICATION_JSON_VALUE, seen.get(2).getFirst(HttpHeaders.CONTENT_TYPE), "the caller's wins");
    assertEquals(null, seen.get(0).getFirst(HttpHeaders.CONTENT_TYPE), "no Content-Type on a GET");
    assertEquals(AssignrResilience.ASSIGNR_MEDIA_TYPE, seen.get(3).getFirst(HttpHeaders.CONTENT_TYPE),
        "a POST without a body has one too");
    assertEquals(List.of(), sim.journal().postsWithoutContentType(), "Assignr asks a Content-Type of every POST");
    assertEquals(201, statuses("POST", GAMES).get(0));
  }

  @ParameterizedTest
  @EnumSource(Connector.class)
  void plain_http_is_refused_before_anything_is_sent(Connector connector) {
    VirtualTime vt = auto();
    WebClient client = client(connector,
        AssignrExchangeFilterFunction.create(config(vt).allowInsecureLoopback(false).build()));

    assertThrows(InsecureRequestException.class, () -> await(post(client, CONFIRM, "{}")));

    assertEquals(0, sim.journal().count());
  }

  /**
   * The filters after this one run once per attempt, in the subscriber's Reactor context (which a
   * tracing or security filter reads).
   */
  @ParameterizedTest
  @EnumSource(Connector.class)
  void each_attempt_runs_the_later_filters_in_the_subscribers_context(Connector connector) {
    VirtualTime vt = auto();
    List<String> tenants = new CopyOnWriteArrayList<>();
    ExchangeFilterFunction later = (request, next) -> Mono.deferContextual(context -> {
      tenants.add(context.getOrDefault("tenant", "none"));
      return next.exchange(request);
    });
    WebClient client = client(connector, AssignrExchangeFilterFunction.create(config(vt).build()), later);
    sim.script().serviceUnavailable(2);

    client.get().uri(GAMES).retrieve().toBodilessEntity().contextWrite(c -> c.put("tenant", "club-42")).block(BLOCK);

    assertEquals(List.of("club-42", "club-42", "club-42"), tenants);
    assertEquals(List.of(503, 503, 200), statuses("GET", GAMES));
  }

  /** A call timeout the 429's reset would pass: the call gives up at once, with the time a retry would succeed. */
  @ParameterizedTest
  @EnumSource(Connector.class)
  void a_wait_past_the_call_timeout_gives_up_at_once(Connector connector) {
    VirtualTime vt = manual();
    WebClient client = client(connector, AssignrExchangeFilterFunction.create(config(vt).throwOnFailure(true).build()));
    sim.script().respond(ScriptedResponse.status(429).header("X-Ratelimit-Reset-Seconds-Remaining", "30"));

    RateLimitedException e = assertThrows(RateLimitedException.class, () -> await(client.get().uri(GAMES)
        .attributes(AssignrExchangeFilterFunction.callTimeout(Duration.ofSeconds(5)))
        .retrieve().toBodilessEntity()));

    assertEquals(StopReason.DEADLINE_EXCEEDED, e.stopReason());
    assertNotNull(e.retryAt());
    assertEquals(List.of(429), statuses("GET", GAMES));
    assertEquals(Duration.ZERO, vt.elapsed(), "nothing was waited");
  }

  /**
   * An attempt in flight when the call's deadline passes fails and its exchange is cancelled. As in
   * the JDK adapter, the attempt gets the time left on the client stack's own timer (Reactor's), so
   * this runs in real time: a 300 ms deadline against a server that answers after 5 s.
   */
  @ParameterizedTest
  @EnumSource(Connector.class)
  void an_attempt_in_flight_is_bounded_by_the_call_timeout(Connector connector) {
    VirtualTime vt = manual();
    WebClient client = client(connector, AssignrExchangeFilterFunction.builder(config(vt).throwOnFailure(true).build())
        .callTimeout(Duration.ofMillis(300)).build());
    sim.script().delay(Duration.ofSeconds(5), 1);

    long start = System.nanoTime();
    TransportException e = assertThrows(TransportException.class,
        () -> await(client.get().uri(GAMES).retrieve().toBodilessEntity()));
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertEquals(StopReason.DEADLINE_EXCEEDED, e.stopReason());
    assertEquals(1, e.attempts());
    assertTrue(e.getCause().getMessage().contains("deadline passed while attempt 1 was in flight"), e.getCause().getMessage());
    assertTrue(took.compareTo(Duration.ofSeconds(4)) < 0, "gave up before the answer came: " + took);
  }

  /** The library's OAuth tokens: each attempt carries the current one; a 401 renews it and retries once. */
  @ParameterizedTest
  @EnumSource(Connector.class)
  void the_librarys_token_is_sent_and_renewed_after_a_401(Connector connector) {
    try (AssignrSimulator oauth = AssignrSimulator.builder().rateLimits(List.of()).oauthClient("club-42", "s3cret")
        .requireIssuedTokens(true).start()) {
      VirtualTime vt = VirtualTime.manual(); // no waits here; real token requests take real milliseconds
      Credentials credentials = AssignrOAuth.builder().clientId("club-42").clientSecret("s3cret").scope("read write")
          .tokenUri(oauth.httpTokenUri()).allowInsecureLoopback(true).timeSource(vt).refreshAhead(Duration.ZERO).build();
      AssignrResilience resilience = config(vt).credentials(credentials).build();
      WebClient client = WebClient.builder().clientConnector(connector.create()).baseUrl(oauth.httpBaseUrl())
          .filter(AssignrExchangeFilterFunction.create(resilience)).build();

      assertEquals(200, client.get().uri(GAMES).retrieve().toBodilessEntity().block(BLOCK).getStatusCode().value());
      oauth.expireAllTokens();
      assertEquals(200, client.get().uri(GAMES).retrieve().toBodilessEntity().block(BLOCK).getStatusCode().value());

      List<JournalEntry> arrivals = oauth.journal().entries("GET", "/api/v2" + GAMES);
      assertEquals(List.of(200, 401, 200), arrivals.stream().map(JournalEntry::status).toList());
      assertTrue(arrivals.stream().allMatch(JournalEntry::authorizationPresent));
      assertEquals(2, oauth.tokenRequests().size(), "one token, then one renewal");
    }
  }

  @Test
  void the_filters_settings_are_checked_at_build_naming_each_value() {
    AssignrResilience resilience = AssignrResilience.defaults();
    var e = assertThrows(com.assignr.resilience.InvalidSettingsException.class,
        () -> AssignrExchangeFilterFunction.builder(resilience).replayCopyLimit(-1).callTimeout(Duration.ZERO).build());
    assertEquals(List.of("replayCopyLimit", "callTimeout"), e.problems().stream().map(p -> p.setting()).toList());
    assertTrue(e.getMessage().contains("-1") && e.getMessage().contains("PT0S"), e.getMessage());
    var t = assertThrows(com.assignr.resilience.InvalidSettingsException.class,
        () -> AssignrExchangeFilterFunction.callTimeout(Duration.ofSeconds(-3)));
    assertTrue(t.getMessage().contains("callTimeout") && t.getMessage().contains("PT-3S"), t.getMessage());
    assertEquals(AssignrExchangeFilterFunction.DEFAULT_REPLAY_COPY_LIMIT,
        AssignrExchangeFilterFunction.create(resilience).replayCopyLimit());
  }

  @Test
  void a_call_timeout_attribute_of_the_wrong_type_is_a_clear_error_and_nothing_is_sent() {
    VirtualTime vt = auto();
    WebClient client = client(Connector.JDK, AssignrExchangeFilterFunction.create(config(vt).build()));

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> await(client.get().uri(GAMES)
        .attribute(AssignrExchangeFilterFunction.CALL_TIMEOUT_ATTRIBUTE, 5000).retrieve().toBodilessEntity()));

    assertTrue(e.getMessage().contains(AssignrExchangeFilterFunction.CALL_TIMEOUT_ATTRIBUTE)
        && e.getMessage().contains("5000"), e.getMessage());
    assertEquals(0, sim.journal().count());
  }

  /** A body that can be read once: a unicast sink refuses a second subscriber. */
  static Flux<DataBuffer> singleUse(String json) {
    Sinks.Many<DataBuffer> sink = Sinks.many().unicast().onBackpressureBuffer();
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    List<DataBuffer> parts = new ArrayList<>();
    for (int at = 0; at < bytes.length; at += 20) {
      parts.add(DefaultDataBufferFactory.sharedInstance.wrap(
          java.util.Arrays.copyOfRange(bytes, at, Math.min(bytes.length, at + 20))));
    }
    parts.forEach(sink::tryEmitNext);
    sink.tryEmitComplete();
    return sink.asFlux();
  }

  /** A full game edit as Assignr takes it: date and start time, and the lock_version read. */
  static String gameJson(long lockVersion) {
    return "{\"game\":{\"date\":\"2025-09-06\",\"start_time\":\"09:00\",\"lock_version\":" + lockVersion + "}}";
  }
}
