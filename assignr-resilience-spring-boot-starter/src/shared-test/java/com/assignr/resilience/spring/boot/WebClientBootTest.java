package com.assignr.resilience.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.assignr.resilience.AssignrResilience;
import com.assignr.resilience.TransportException;
import com.assignr.resilience.spring.AssignrExchangeFilterFunction;
import com.assignr.resilience.testkit.AssignrSimulator;
import com.assignr.resilience.testkit.JournalEntry;
import com.assignr.resilience.testkit.ScriptedResponse;
import com.assignr.resilience.testkit.VirtualTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientResponseException;
import org.springframework.web.reactive.function.client.support.WebClientAdapter;
import org.springframework.web.service.annotation.GetExchange;
import org.springframework.web.service.annotation.HttpExchange;
import org.springframework.web.service.annotation.PostExchange;
import org.springframework.web.service.invoker.HttpServiceProxyFactory;

/**
 * A real WebFlux-client application of this module's Boot line, the same source on both lines
 * (src/shared-test): Tomcat on a random port, Boot's {@code WebClient.Builder} on Reactor Netty, the
 * starter and a few properties, calling the simulator through the {@code @AssignrWebClient}
 * builder's client and an {@code @HttpExchange} interface over it ({@code WebClientAdapter}: on Boot
 * 3.5 the way to a service client; Boot 4's service groups are {@code WebClientServiceGroupTest}'s).
 * Boot's unmarked builder is left alone unless {@code web-client.apply-to-all} is on. The library
 * runs on virtual time, so waiting out a 429 takes no real time; arrivals are counted at the
 * simulator.
 */
@SpringBootTest(classes = WebClientBootTest.App.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class WebClientBootTest {
  static final VirtualTime TIME = VirtualTime.autoAdvancing();
  static final AssignrSimulator SIM = AssignrSimulator.builder().clock(TIME.clock()).start();
  static final String GAMES = BootApplicationTest.GAMES;
  static final String NEW_GAME = BootApplicationTest.NEW_GAME;

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry properties) {
    properties.add("assignr.resilience.base-url", SIM::httpBaseUrl);
    properties.add("assignr.resilience.credentials.token", () -> "webclient-token");
    properties.add("assignr.resilience.allow-insecure-loopback", () -> "true"); // the simulator is plain HTTP
  }

  /** The Assignr API as an interface, its proxy over the Assignr WebClient. */
  @HttpExchange
  interface Games {
    @GetExchange("/sites/{site}/games")
    String list(@PathVariable("site") long site);

    @PostExchange(url = "/sites/{site}/games", contentType = AssignrResilience.ASSIGNR_MEDIA_TYPE)
    String create(@PathVariable("site") long site, @RequestBody String game);
  }

  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class App {
    @Bean
    WebClient assignr(@AssignrWebClient WebClient.Builder builder) {
      return builder.build();
    }

    @Bean
    Games games(@AssignrWebClient WebClient.Builder builder) {
      return HttpServiceProxyFactory.builderFor(WebClientAdapter.create(builder.build())).build().createClient(Games.class);
    }

    @Bean
    AssignrResilienceCustomizer virtualTime() {
      return builder -> builder.timeSource(TIME).random(() -> 0.0);
    }
  }

  @AfterAll
  static void stop() {
    SIM.close();
  }

  @Autowired WebClient assignr;
  @Autowired Games games;
  @Autowired WebClient.Builder bootsOwnBuilder;
  @Autowired ApplicationContext context;

  @BeforeEach
  void fresh() {
    SIM.reset();
  }

  @Test
  void the_assignr_web_client_and_its_http_exchange_proxy_wait_out_a_429_with_the_token_of_the_properties() {
    Map<String, Supplier<String>> routes = new LinkedHashMap<>();
    routes.put("@AssignrWebClient WebClient.Builder",
        () -> assignr.get().uri("/sites/1/games").retrieve().bodyToMono(String.class).block());
    routes.put("@HttpExchange proxy over WebClientAdapter", () -> games.list(1));
    routes.forEach((route, get) -> {
      SIM.reset();
      SIM.script().on("GET", GAMES).next(1).respond(ScriptedResponse.status(429).header("X-Ratelimit-Reset-Seconds-Remaining", "3"));
      assertThat(get.get()).as(route).contains("\"games\"");
      BootApplicationTest.assertWaitedOut429(SIM.journal().entries("GET", GAMES));
      assertThat(SIM.journal().entries("GET", GAMES)).as(route)
          .allMatch(JournalEntry::authorizationPresent).allMatch(JournalEntry::acceptHeaderValid);
    });
  }

  @Test
  void a_post_answered_500_arrives_once_and_one_answered_503_as_often_as_the_library_attempts() {
    int maxAttempts = context.getBean(AssignrResilience.class).policy().maxAttempts();
    Map<String, Runnable> routes = new LinkedHashMap<>();
    routes.put("@AssignrWebClient WebClient.Builder", () -> assignr.post().uri("/sites/1/games")
        .contentType(BootApplicationTest.ASSIGNR).bodyValue(NEW_GAME).retrieve().toBodilessEntity().block());
    routes.put("@HttpExchange proxy over WebClientAdapter", () -> games.create(1, NEW_GAME));
    routes.forEach((route, post) -> {
      SIM.reset();
      int before = SIM.gameCount(1);
      SIM.script().on("POST", GAMES).next(1).respondStatus(500);
      assertThatThrownBy(post::run).as(route).isInstanceOf(WebClientResponseException.InternalServerError.class);
      assertThat(SIM.journal().entries("POST", GAMES)).as(route + ", 500").hasSize(1);
      assertThat(SIM.gameCount(1)).as(route + ": games created").isEqualTo(before);

      SIM.reset();
      SIM.script().on("POST", GAMES).always().respondStatus(503);
      assertThatThrownBy(post::run).as(route).isInstanceOf(WebClientResponseException.ServiceUnavailable.class);
      assertThat(SIM.journal().entries("POST", GAMES)).as(route + ", 503").hasSize(maxAttempts);
    });
  }

  /**
   * A POST the simulator processes and whose answer it then loses (connection closed, then reset):
   * it arrives once and creates one game, and the caller gets the library's {@code
   * TransportException} (wrapped by {@code block()}).
   */
  @Test
  void a_processed_post_whose_answer_is_lost_arrives_once_on_both_routes() {
    Map<String, Runnable> routes = new LinkedHashMap<>();
    routes.put("@AssignrWebClient WebClient.Builder", () -> assignr.post().uri("/sites/1/games")
        .contentType(BootApplicationTest.ASSIGNR).bodyValue(NEW_GAME).retrieve().toBodilessEntity().block());
    routes.put("@HttpExchange proxy over WebClientAdapter", () -> games.create(1, NEW_GAME));
    for (boolean reset : new boolean[] {false, true}) {
      routes.forEach((route, post) -> {
        SIM.reset();
        int before = SIM.gameCount(1);
        var trigger = SIM.script().on("POST", GAMES).next(1);
        if (reset) trigger.processThenReset(); else trigger.processThenClose();
        assertThatThrownBy(post::run).as(route).hasCauseInstanceOf(TransportException.class);
        assertThat(SIM.journal().entries("POST", GAMES)).as(route + (reset ? ", reset" : ", closed")).hasSize(1);
        assertThat(SIM.gameCount(1) - before).as(route + ": games created").isEqualTo(1);
      });
    }
  }

  /**
   * Boot's unmarked builder, e.g. for another service's host: no filter, so a 503 reaches the server
   * once and the request goes out as the application wrote it (no Assignr {@code Accept} added).
   */
  @Test
  void boots_own_web_client_builder_is_left_alone() {
    assertThat(filters(bootsOwnBuilder)).noneMatch(AssignrExchangeFilterFunction.class::isInstance);
    WebClient other = bootsOwnBuilder.baseUrl(SIM.httpBaseUrl()).build();
    SIM.script().on("GET", GAMES).always().respondStatus(503);
    assertThatThrownBy(() -> other.get().uri("/sites/1/games").retrieve().bodyToMono(String.class).block())
        .isInstanceOf(WebClientResponseException.ServiceUnavailable.class);
    assertThat(SIM.journal().entries("GET", GAMES)).hasSize(1).noneMatch(JournalEntry::acceptHeaderValid);
  }

  /**
   * With {@code web-client.apply-to-all}, a second application of the same line: Boot's own builder
   * gets the filter, and the {@code @AssignrWebClient} one still has it once (twice, a POST answered
   * 503 throughout would arrive maxAttempts² times).
   */
  @Test
  void with_apply_to_all_every_boot_builder_gets_the_filter_once() {
    try (ConfigurableApplicationContext all = new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE)
        .properties(Map.of("assignr.resilience.base-url", SIM.httpBaseUrl(),
            "assignr.resilience.credentials.token", "webclient-token",
            "assignr.resilience.allow-insecure-loopback", "true",
            "assignr.resilience.web-client.apply-to-all", "true"))
        .run()) {
      int maxAttempts = all.getBean(AssignrResilience.class).policy().maxAttempts();
      WebClient plain = all.getBean("webClientBuilder", WebClient.Builder.class).baseUrl(SIM.httpBaseUrl())
          .defaultHeader("Authorization", "Bearer webclient-token").build();
      Map<String, Runnable> routes = new LinkedHashMap<>();
      routes.put("Boot's WebClient.Builder, apply-to-all", () -> plain.post().uri("/sites/1/games")
          .contentType(BootApplicationTest.ASSIGNR).bodyValue(NEW_GAME).retrieve().toBodilessEntity().block());
      routes.put("@AssignrWebClient WebClient.Builder, apply-to-all", () -> all.getBean("assignr", WebClient.class)
          .post().uri("/sites/1/games").contentType(BootApplicationTest.ASSIGNR).bodyValue(NEW_GAME)
          .retrieve().toBodilessEntity().block());
      routes.forEach((route, post) -> {
        SIM.reset();
        SIM.script().on("POST", GAMES).always().respondStatus(503);
        assertThatThrownBy(post::run).as(route).isInstanceOf(WebClientResponseException.ServiceUnavailable.class);
        assertThat(SIM.journal().entries("POST", GAMES)).as(route).hasSize(maxAttempts);
      });
    }
  }

  static java.util.List<Object> filters(WebClient.Builder builder) {
    java.util.List<Object> seen = new java.util.ArrayList<>();
    builder.clone().filters(seen::addAll);
    return seen;
  }
}
