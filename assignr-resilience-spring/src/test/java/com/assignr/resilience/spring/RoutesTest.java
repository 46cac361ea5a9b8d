package com.assignr.resilience.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.assignr.resilience.AssignrResilience;
import com.assignr.resilience.RetryListener;
import com.assignr.resilience.testkit.AssignrSimulator;
import com.assignr.resilience.testkit.JournalEntry;
import com.assignr.resilience.testkit.ScriptedResponse;
import com.assignr.resilience.testkit.VirtualTime;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.RequestEntity;
import org.springframework.http.client.SimpleClientHttpRequestFactory;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientResponseException;
import org.springframework.web.client.RestTemplate;

/**
 * RELIABILITY.md's "Spring routes" rows without Boot, each cell counted at the simulator's journal:
 * a GET answered 429 arrives twice, the second after the reset; a POST answered 503 throughout
 * arrives once per library attempt (5); a POST answered 500 arrives once; a POST processed whose
 * answer is lost arrives once. With httpclient5 on the class path (WireMock brings it), so that
 * detection would pick it wherever a route leaves the factory to Spring.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RoutesTest {
  static final String GAMES = ClientBelowTest.GAMES;
  static final String TOKEN = ClientBelowTest.TOKEN;
  static final MediaType ASSIGNR = ClientBelowTest.ASSIGNR;
  static final SwitchableClock clock = new SwitchableClock();
  static AssignrSimulator sim;
  VirtualTime vt;

  /** A client as the route builds it: a GET and a POST of a new game, each giving the status, or -1 for an I/O failure. */
  interface Client {
    int get();

    int post();
  }

  enum Route {
    REST_CLIENT_CONFIGURE("RestClient, configure (JDK client)", (r, base) ->
        restClient(AssignrClientHttpRequestInterceptor.configure(RestClient.builder(), r), base)),
    REST_TEMPLATE_CONFIGURE("RestTemplate, configure (JDK client)", (r, base) ->
        restTemplate(AssignrClientHttpRequestInterceptor.configure(new RestTemplate(), r), base)),
    REST_CLIENT_URL_CONNECTION("RestClient on SimpleClientHttpRequestFactory, interceptor", (r, base) ->
        restClient(RestClient.builder().requestFactory(new SimpleClientHttpRequestFactory())
            .requestInterceptor(AssignrClientHttpRequestInterceptor.create(r)), base)),
    REST_TEMPLATE_URL_CONNECTION("RestTemplate on SimpleClientHttpRequestFactory, interceptor", (r, base) -> {
      RestTemplate template = new RestTemplate(new SimpleClientHttpRequestFactory());
      template.getInterceptors().add(AssignrClientHttpRequestInterceptor.create(r));
      return restTemplate(template, base);
    });

    final String label;
    final BiFunction<AssignrResilience, String, Client> build;

    Route(String label, BiFunction<AssignrResilience, String, Client> build) {
      this.label = label;
      this.build = build;
    }

    @Override
    public String toString() {
      return label;
    }
  }

  static Client restClient(RestClient.Builder builder, String base) {
    RestClient rest = builder.baseUrl(base).defaultHeader(HttpHeaders.AUTHORIZATION, TOKEN).build();
    return new Client() {
      @Override
      public int get() {
        return status(() -> rest.get().uri("/sites/1/games").retrieve().toBodilessEntity().getStatusCode().value());
      }

      @Override
      public int post() {
        return status(() -> rest.post().uri("/sites/1/games").contentType(ASSIGNR).body(ClientBelowTest.NEW_GAME)
            .retrieve().toBodilessEntity().getStatusCode().value());
      }
    };
  }

  static Client restTemplate(RestTemplate template, String base) {
    URI games = URI.create(base + "/sites/1/games");
    return new Client() {
      @Override
      public int get() {
        return status(() -> template.exchange(RequestEntity.get(games).header(HttpHeaders.AUTHORIZATION, TOKEN).build(),
            String.class).getStatusCode().value());
      }

      @Override
      public int post() {
        return status(() -> template.exchange(RequestEntity.post(games).header(HttpHeaders.AUTHORIZATION, TOKEN)
            .contentType(ASSIGNR).body(ClientBelowTest.NEW_GAME), String.class).getStatusCode().value());
      }
    };
  }

  /** The status Spring answered with or threw; -1 when the call failed without one. */
  static int status(IntSupplier call) {
    try {
      return call.getAsInt();
    } catch (RestClientResponseException e) {
      return e.getStatusCode().value();
    } catch (ResourceAccessException e) {
      return -1;
    }
  }

  @BeforeAll
  static void start() {
    sim = AssignrSimulator.builder().clock(clock).start();
  }

  @AfterAll
  static void stop() {
    sim.close();
  }

  @BeforeEach
  void reset() {
    sim.reset();
    vt = VirtualTime.autoAdvancing();
    clock.use(vt.clock());
  }

  Client client(Route route) {
    AssignrResilience resilience = AssignrResilience.builder().timeSource(vt).random(() -> 0.0)
        .allowInsecureLoopback(true).listener(RetryListener.NONE).build();
    Client client = route.build.apply(resilience, sim.httpBaseUrl());
    // A pooled keep-alive connection first: the HttpURLConnection's own POST replay happens on one.
    assertEquals(200, client.get(), "the warm-up GET");
    sim.journal().reset();
    return client;
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Route.class)
  void a_get_answered_429_arrives_twice_the_second_after_the_reset(Route route) {
    Client client = client(route);
    sim.script().on("GET", GAMES).next(1).respond(ScriptedResponse.status(429).header("X-Ratelimit-Reset-Seconds-Remaining", "3"));
    assertEquals(200, client.get());
    List<JournalEntry> arrivals = sim.journal().entries("GET", GAMES);
    assertEquals(List.of(429, 200), arrivals.stream().map(JournalEntry::status).toList());
    assertFalse(Duration.between(arrivals.get(0).arrivedAt(), arrivals.get(1).arrivedAt()).minusSeconds(3).isNegative(),
        "the second arrival is after the reset");
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Route.class)
  void a_post_answered_503_throughout_arrives_once_per_library_attempt(Route route) {
    Client client = client(route);
    sim.script().on("POST", GAMES).always().respondStatus(503);
    assertEquals(503, client.post());
    assertEquals(5, sim.journal().entries("POST", GAMES).size(), "arrivals equal the library's 5 attempts");
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Route.class)
  void a_post_answered_500_arrives_once(Route route) {
    Client client = client(route);
    sim.script().on("POST", GAMES).next(1).respondStatus(500);
    assertEquals(500, client.post());
    assertEquals(1, sim.journal().entries("POST", GAMES).size());
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Route.class)
  void a_processed_post_whose_answer_is_lost_arrives_once(Route route) {
    Client client = client(route);
    int before = sim.gameCount(1);
    sim.script().on("POST", GAMES).next(1).processThenClose();
    int status = client.post();
    assertEquals(1, sim.journal().entries("POST", GAMES).size(), "arrivals (the caller got " + status + ")");
    assertEquals(1, sim.gameCount(1) - before, "games created");
    assertEquals(-1, status, "the caller is told the call failed");
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Route.class)
  void a_processed_post_whose_connection_is_reset_arrives_once(Route route) {
    Client client = client(route);
    int before = sim.gameCount(1);
    sim.script().on("POST", GAMES).next(1).processThenReset();
    int status = client.post();
    assertEquals(1, sim.journal().entries("POST", GAMES).size(), "arrivals (the caller got " + status + ")");
    assertEquals(1, sim.gameCount(1) - before, "games created");
    assertTrue(status == -1, "the caller is told the call failed, got " + status);
  }

  /**
   * Why the {@code HttpURLConnection} routes above hold: {@code sun.net.http.retryPost} (true by
   * default) makes the JDK resend a POST whose answer was lost on a reused connection, but only a
   * buffered one; Spring's {@code SimpleClientHttpRequestFactory} (6.1 and later) sends the body
   * it has in fixed-length streaming mode, which the JDK never resends. The contrast: the same
   * POST through a bare {@code HttpURLConnection} that buffers its body arrives twice.
   */
  @org.junit.jupiter.api.Test
  void a_buffered_http_url_connection_post_would_be_resent_by_the_jdk_which_is_what_the_rows_above_rule_out() throws Exception {
    URL games = URI.create(sim.httpBaseUrl() + "/sites/1/games").toURL();
    HttpURLConnection warmUp = (HttpURLConnection) games.openConnection();
    warmUp.setRequestProperty(HttpHeaders.AUTHORIZATION, TOKEN);
    assertEquals(200, warmUp.getResponseCode());
    warmUp.getInputStream().readAllBytes();
    warmUp.getInputStream().close();
    sim.journal().reset();
    sim.script().on("POST", GAMES).next(1).processThenClose();

    HttpURLConnection post = (HttpURLConnection) games.openConnection();
    post.setRequestMethod("POST");
    post.setDoOutput(true);
    post.setRequestProperty(HttpHeaders.AUTHORIZATION, TOKEN);
    post.setRequestProperty(HttpHeaders.CONTENT_TYPE, ASSIGNR.toString());
    try (OutputStream out = post.getOutputStream()) {
      out.write(ClientBelowTest.NEW_GAME.getBytes(StandardCharsets.UTF_8));
    }
    int status = post.getResponseCode();
    assertEquals(2, sim.journal().entries("POST", GAMES).size(), "the JDK resent it (the caller got " + status + ")");
  }
}
