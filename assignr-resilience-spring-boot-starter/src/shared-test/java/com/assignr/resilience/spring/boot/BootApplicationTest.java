package com.assignr.resilience.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import com.assignr.resilience.AssignrResilience;
import com.assignr.resilience.micrometer.AssignrMetrics;
import com.assignr.resilience.testkit.AssignrSimulator;
import com.assignr.resilience.testkit.JournalEntry;
import com.assignr.resilience.testkit.ScriptedResponse;
import com.assignr.resilience.testkit.VirtualTime;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.SpringBootVersion;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.SpringVersion;
import org.springframework.core.env.Environment;
import org.springframework.http.MediaType;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.client.HttpServerErrorException;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestTemplate;
import org.springframework.web.client.support.RestClientAdapter;
import org.springframework.web.service.annotation.GetExchange;
import org.springframework.web.service.annotation.HttpExchange;
import org.springframework.web.service.annotation.PostExchange;
import org.springframework.web.service.invoker.HttpServiceProxyFactory;

/**
 * A real application of this module's Boot line, the same source on both lines (src/shared-test):
 * Tomcat on a random port, Actuator over HTTP, the starter and a few properties, calling the
 * simulator through every route the starter makes: the {@code @AssignrRestClient} {@code
 * RestClient.Builder} and {@code RestTemplateBuilder}, an {@code @HttpExchange} interface on the
 * former, and (with {@code apply-to-all}) Boot's plain {@code RestClient.Builder}. Apache
 * HttpClient 5 is on the test class path (WireMock brings it), so Boot would pick it, with its own
 * retries, wherever the starter did not put the JDK client: the arrivals counted at the simulator
 * say it did. The library runs on virtual time, so waiting out a 429 takes no real time.
 */
@SpringBootTest(classes = BootApplicationTest.App.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class BootApplicationTest {
  static final VirtualTime TIME = VirtualTime.autoAdvancing();
  static final AssignrSimulator SIM = AssignrSimulator.builder().clock(TIME.clock()).start();
  static final String GAMES = "/api/v2/sites/1/games";
  static final String NEW_GAME = "{\"game\":{\"date\":\"2026-12-01\",\"start_time\":\"09:00\","
      + "\"home_team\":\"Hawks\",\"away_team\":\"Owls\"}}";
  static final MediaType ASSIGNR = MediaType.parseMediaType(AssignrResilience.ASSIGNR_MEDIA_TYPE);

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry properties) {
    properties.add("assignr.resilience.base-url", SIM::httpBaseUrl);
    properties.add("assignr.resilience.credentials.token", () -> "boot-app-token");
    properties.add("assignr.resilience.allow-insecure-loopback", () -> "true"); // the simulator is plain HTTP
    properties.add("assignr.resilience.rest-client.apply-to-all", () -> "true");
    properties.add("management.endpoints.web.exposure.include", () -> "health,metrics");
    properties.add("management.endpoint.health.show-details", () -> "always");
  }

  /** The Assignr API as an interface: Spring makes the client. */
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
    RestClient assignr(@AssignrRestClient RestClient.Builder builder) {
      return builder.build();
    }

    @Bean
    Games games(@AssignrRestClient RestClient.Builder builder) {
      return HttpServiceProxyFactory.builderFor(RestClientAdapter.create(builder.build())).build().createClient(Games.class);
    }

    /**
     * Spring Security is on the test class path (for SpringSecurityBootTest) and Boot would then
     * secure every endpoint: this application serves its actuator openly, as it did before.
     */
    @Bean
    SecurityFilterChain openActuator(HttpSecurity http) throws Exception {
      return http.authorizeHttpRequests(requests -> requests.anyRequest().permitAll()).build();
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

  @Autowired RestClient assignr;
  @Autowired Games games;
  @Autowired RestClient.Builder bootsOwnBuilder;
  @Autowired ApplicationContext context;
  @Autowired Environment environment;

  @BeforeEach
  void fresh() {
    SIM.reset();
  }

  @Test
  void runs_the_expected_boot_and_spring() {
    assertThat(SpringBootVersion.getVersion()).isEqualTo(System.getProperty("spring-boot.expected.version"));
    assertThat(SpringVersion.getVersion()).isEqualTo(System.getProperty("spring.expected.version"));
    assertThat(HttpClient.class).isNotNull();
    assertThat(isPresent("org.apache.hc.client5.http.impl.classic.HttpClientBuilder"))
        .as("HttpClient 5 on the class path, so Boot would pick it").isTrue();
  }

  @Test
  void a_rest_client_waits_out_a_429_and_actuator_reports_meters_and_health_over_http() throws Exception {
    SIM.script().on("GET", GAMES).next(1).respond(ScriptedResponse.status(429).header("X-Ratelimit-Reset-Seconds-Remaining", "3"));

    String body = assignr.get().uri("/sites/1/games?limit=5").retrieve().body(String.class);

    assertThat(body).contains("\"games\"");
    assertWaitedOut429(SIM.journal().entries("GET", GAMES));

    String health = get("/actuator/health/assignr");
    assertThat(health).contains("\"status\":\"UP\"").contains("\"gate\":\"open\"").contains("\"limit\":180")
        .doesNotContain("boot-app-token");
    String calls = get("/actuator/metrics/" + AssignrMetrics.CALLS + "?tag=outcome:successful_with_retry&tag=method:GET");
    assertThat(calls).contains("\"name\":\"" + AssignrMetrics.CALLS + "\"").containsPattern("\"value\":[1-9]");
    assertThat(get("/actuator/metrics/" + AssignrMetrics.RETRIES + "?tag=cause:429")).containsPattern("\"value\":[1-9]");
  }

  @Test
  void an_http_exchange_interface_waits_out_a_429_and_sends_a_post_answered_500_once() {
    SIM.script().on("GET", GAMES).next(1).respond(ScriptedResponse.status(429).header("X-Ratelimit-Reset-Seconds-Remaining", "3"));
    assertThat(games.list(1)).contains("\"games\"");
    assertWaitedOut429(SIM.journal().entries("GET", GAMES));

    int before = SIM.gameCount(1);
    SIM.script().on("POST", GAMES).next(1).respondStatus(500);
    try {
      games.create(1, NEW_GAME);
      throw new AssertionError("a 500 to a POST is not retried, so the call fails");
    } catch (HttpServerErrorException e) {
      assertThat(e.getStatusCode().value()).isEqualTo(500);
    }
    assertThat(SIM.journal().entries("POST", GAMES)).hasSize(1);
    assertThat(SIM.gameCount(1)).isEqualTo(before);
  }

  @Test
  void the_rest_template_builder_waits_out_a_429_and_sends_a_post_answered_500_once() {
    RestTemplate template = TestLine.assignrRestTemplate(context);
    SIM.script().on("GET", GAMES).next(1).respond(ScriptedResponse.status(429).header("X-Ratelimit-Reset-Seconds-Remaining", "3"));
    assertThat(template.getForObject("/sites/1/games", String.class)).contains("\"games\"");
    assertWaitedOut429(SIM.journal().entries("GET", GAMES));

    SIM.script().on("POST", GAMES).next(1).respondStatus(500);
    org.springframework.http.HttpHeaders headers = new org.springframework.http.HttpHeaders();
    headers.setContentType(ASSIGNR);
    try {
      template.postForObject("/sites/1/games", new org.springframework.http.HttpEntity<>(NEW_GAME, headers), String.class);
      throw new AssertionError("a 500 to a POST is not retried, so the call fails");
    } catch (HttpServerErrorException e) {
      assertThat(e.getStatusCode().value()).isEqualTo(500);
    }
    assertThat(SIM.journal().entries("POST", GAMES)).hasSize(1);
  }

  /**
   * Boot's own builder, with apply-to-all: without the starter's JDK factory, HttpClient 5 would
   * resend each 503 itself, and the simulator would count twice the library's attempts.
   */
  @Test
  void boots_own_builder_with_apply_to_all_sends_a_post_answered_503_as_often_as_the_library_attempts() {
    RestClient plain = bootsOwnBuilder.baseUrl(SIM.httpBaseUrl()).defaultHeader("Authorization", "Bearer boot-app-token").build();
    SIM.script().on("POST", GAMES).always().respondStatus(503);
    try {
      plain.post().uri("/sites/1/games").contentType(ASSIGNR).body(NEW_GAME).retrieve().toBodilessEntity();
      throw new AssertionError("503 throughout: the call fails");
    } catch (HttpServerErrorException e) {
      assertThat(e.getStatusCode().value()).isEqualTo(503);
    }
    int maxAttempts = context.getBean(AssignrResilience.class).policy().maxAttempts();
    assertThat(SIM.journal().entries("POST", GAMES)).hasSize(maxAttempts);
  }

  /**
   * A POST the simulator processes and whose answer it then loses (connection closed, then reset),
   * on every route the starter makes: it arrives once and creates one game, and the caller is told
   * the call failed. HttpClient 5, which Boot would otherwise pick, is not below any of them.
   */
  @Test
  void a_processed_post_whose_answer_is_lost_arrives_once_on_every_route() {
    RestTemplate template = TestLine.assignrRestTemplate(context);
    RestClient plain = bootsOwnBuilder.baseUrl(SIM.httpBaseUrl()).defaultHeader("Authorization", "Bearer boot-app-token").build();
    org.springframework.http.HttpHeaders headers = new org.springframework.http.HttpHeaders();
    headers.setContentType(ASSIGNR);
    java.util.Map<String, Runnable> routes = new java.util.LinkedHashMap<>();
    routes.put("@AssignrRestClient RestClient.Builder",
        () -> assignr.post().uri("/sites/1/games").contentType(ASSIGNR).body(NEW_GAME).retrieve().toBodilessEntity());
    routes.put("@HttpExchange proxy", () -> games.create(1, NEW_GAME));
    routes.put("@AssignrRestClient RestTemplateBuilder",
        () -> template.postForObject("/sites/1/games", new org.springframework.http.HttpEntity<>(NEW_GAME, headers), String.class));
    routes.put("Boot's RestClient.Builder, apply-to-all",
        () -> plain.post().uri("/sites/1/games").contentType(ASSIGNR).body(NEW_GAME).retrieve().toBodilessEntity());
    for (boolean reset : new boolean[] {false, true}) {
      routes.forEach((route, post) -> {
        SIM.reset();
        int before = SIM.gameCount(1);
        var trigger = SIM.script().on("POST", GAMES).next(1);
        if (reset) trigger.processThenReset(); else trigger.processThenClose();
        try {
          post.run();
          throw new AssertionError(route + ": the answer was lost, so the call fails");
        } catch (org.springframework.web.client.ResourceAccessException e) {
          assertThat(e).as(route).isNotNull();
        }
        assertThat(SIM.journal().entries("POST", GAMES)).as(route + (reset ? ", reset" : ", closed")).hasSize(1);
        assertThat(SIM.gameCount(1) - before).as(route + ": games created").isEqualTo(1);
      });
    }
  }

  @Test
  void a_post_answered_500_arrives_once_on_every_route() {
    RestTemplate template = TestLine.assignrRestTemplate(context);
    RestClient plain = bootsOwnBuilder.baseUrl(SIM.httpBaseUrl()).defaultHeader("Authorization", "Bearer boot-app-token").build();
    org.springframework.http.HttpHeaders headers = new org.springframework.http.HttpHeaders();
    headers.setContentType(ASSIGNR);
    java.util.Map<String, Runnable> routes = new java.util.LinkedHashMap<>();
    routes.put("@AssignrRestClient RestClient.Builder",
        () -> assignr.post().uri("/sites/1/games").contentType(ASSIGNR).body(NEW_GAME).retrieve().toBodilessEntity());
    routes.put("@HttpExchange proxy", () -> games.create(1, NEW_GAME));
    routes.put("@AssignrRestClient RestTemplateBuilder",
        () -> template.postForObject("/sites/1/games", new org.springframework.http.HttpEntity<>(NEW_GAME, headers), String.class));
    routes.put("Boot's RestClient.Builder, apply-to-all",
        () -> plain.post().uri("/sites/1/games").contentType(ASSIGNR).body(NEW_GAME).retrieve().toBodilessEntity());
    routes.forEach((route, post) -> {
      SIM.reset();
      SIM.script().on("POST", GAMES).next(1).respondStatus(500);
      try {
        post.run();
        throw new AssertionError(route + ": a 500 to a POST is not retried, so the call fails");
      } catch (HttpServerErrorException e) {
        assertThat(e.getStatusCode().value()).as(route).isEqualTo(500);
      }
      assertThat(SIM.journal().entries("POST", GAMES)).as(route).hasSize(1);
    });
  }

  /** The cells of the table the other tests leave open: 429 and 503 on the routes not covered above. */
  @Test
  void every_route_waits_out_a_429_and_sends_a_post_answered_503_as_often_as_the_library_attempts() {
    RestTemplate template = TestLine.assignrRestTemplate(context);
    RestClient plain = bootsOwnBuilder.baseUrl(SIM.httpBaseUrl()).defaultHeader("Authorization", "Bearer boot-app-token").build();
    SIM.script().on("GET", GAMES).next(1).respond(ScriptedResponse.status(429).header("X-Ratelimit-Reset-Seconds-Remaining", "3"));
    assertThat(plain.get().uri("/sites/1/games").retrieve().body(String.class)).contains("\"games\"");
    assertWaitedOut429(SIM.journal().entries("GET", GAMES));

    org.springframework.http.HttpHeaders headers = new org.springframework.http.HttpHeaders();
    headers.setContentType(ASSIGNR);
    java.util.Map<String, Runnable> routes = new java.util.LinkedHashMap<>();
    routes.put("@AssignrRestClient RestClient.Builder",
        () -> assignr.post().uri("/sites/1/games").contentType(ASSIGNR).body(NEW_GAME).retrieve().toBodilessEntity());
    routes.put("@HttpExchange proxy", () -> games.create(1, NEW_GAME));
    routes.put("@AssignrRestClient RestTemplateBuilder",
        () -> template.postForObject("/sites/1/games", new org.springframework.http.HttpEntity<>(NEW_GAME, headers), String.class));
    int maxAttempts = context.getBean(AssignrResilience.class).policy().maxAttempts();
    routes.forEach((route, post) -> {
      SIM.reset();
      SIM.script().on("POST", GAMES).always().respondStatus(503);
      try {
        post.run();
        throw new AssertionError(route + ": 503 throughout, the call fails");
      } catch (HttpServerErrorException e) {
        assertThat(e.getStatusCode().value()).as(route).isEqualTo(503);
      }
      assertThat(SIM.journal().entries("POST", GAMES)).as(route).hasSize(maxAttempts);
    });
  }

  /** Two arrivals, the second after the reset the 429 named. */
  static void assertWaitedOut429(List<JournalEntry> arrivals) {
    assertThat(arrivals).extracting(JournalEntry::status).containsExactly(429, 200);
    assertThat(Duration.between(arrivals.get(0).arrivedAt(), arrivals.get(1).arrivedAt())).isGreaterThanOrEqualTo(Duration.ofSeconds(3));
  }

  String get(String path) throws IOException, InterruptedException {
    String port = environment.getProperty("local.server.port");
    HttpResponse<String> response = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
    return response.body();
  }

  static boolean isPresent(String className) {
    try {
      Class.forName(className, false, BootApplicationTest.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }
}
