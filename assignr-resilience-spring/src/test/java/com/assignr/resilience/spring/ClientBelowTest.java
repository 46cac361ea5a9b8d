package com.assignr.resilience.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.assignr.resilience.AssignrResilience;
import com.assignr.resilience.RetryListener;
import com.assignr.resilience.testkit.AssignrSimulator;
import com.assignr.resilience.testkit.JournalEntry;
import com.assignr.resilience.testkit.ScriptedResponse;
import com.assignr.resilience.testkit.VirtualTime;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.RequestEntity;
import org.springframework.http.client.HttpComponentsClientHttpRequestFactory;
import org.springframework.web.client.HttpServerErrorException;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestTemplate;

/**
 * What is below the interceptor, with Apache HttpClient 5 on the class path (WireMock brings it,
 * as many applications do), so that {@code RestClient.builder()} picks it: {@code configure} puts
 * either client on the JDK's {@code HttpClient}, whose arrivals are the library's attempts; the
 * interceptor added by hand above a default HttpClient 5 says so once, naming the fix.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ClientBelowTest {
  static final String GAMES = "/api/v2/sites/1/games";
  static final String TOKEN = "Bearer below-test";
  static final String NEW_GAME = "{\"game\":{\"date\":\"2026-12-01\",\"start_time\":\"09:00\","
      + "\"home_team\":\"Hawks\",\"away_team\":\"Owls\"}}";
  static final MediaType ASSIGNR = MediaType.parseMediaType(AssignrResilience.ASSIGNR_MEDIA_TYPE);
  static final SwitchableClock clock = new SwitchableClock();
  static AssignrSimulator sim;
  VirtualTime vt;

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

  AssignrResilience resilience() {
    return AssignrResilience.builder().timeSource(vt).random(() -> 0.0).allowInsecureLoopback(true)
        .listener(RetryListener.NONE).build();
  }

  @Test
  void configure_puts_a_rest_client_on_a_client_without_retries_of_its_own() {
    RestClient client = AssignrClientHttpRequestInterceptor.configure(RestClient.builder(), resilience())
        .baseUrl(sim.httpBaseUrl()).defaultHeader(HttpHeaders.AUTHORIZATION, TOKEN).build();

    sim.script().on("GET", GAMES).next(1).respond(ScriptedResponse.status(429).header("X-Ratelimit-Reset-Seconds-Remaining", "3"));
    client.get().uri("/sites/1/games").retrieve().body(String.class);
    assertWaitedOut429(sim.journal().entries("GET", GAMES));

    sim.script().on("POST", GAMES).always().respondStatus(503);
    assertThrows(HttpServerErrorException.class,
        () -> client.post().uri("/sites/1/games").contentType(ASSIGNR).body(NEW_GAME).retrieve().toBodilessEntity());
    assertEquals(5, sim.journal().entries("POST", GAMES).size(), "arrivals equal the library's 5 attempts");
  }

  @Test
  void configure_puts_a_rest_template_on_a_client_without_retries_of_its_own() {
    RestTemplate template = AssignrClientHttpRequestInterceptor.configure(new RestTemplate(), resilience());
    URI games = URI.create(sim.httpBaseUrl() + "/sites/1/games");
    sim.script().on("POST", GAMES).always().respondStatus(503);
    assertThrows(HttpServerErrorException.class, () -> template.exchange(RequestEntity.post(games)
        .header(HttpHeaders.AUTHORIZATION, TOKEN).contentType(ASSIGNR).body(NEW_GAME), String.class));
    assertEquals(5, sim.journal().entries("POST", GAMES).size(), "arrivals equal the library's 5 attempts");
    assertTrue(template.getInterceptors().get(0) instanceof AssignrClientHttpRequestInterceptor);
  }

  /** The README's old snippet: detection picks HttpClient 5, which resends each 503 itself. */
  @Test
  void by_hand_above_a_default_http_client_5_the_interceptor_names_the_fix_once() {
    AssignrClientHttpRequestInterceptor interceptor = AssignrClientHttpRequestInterceptor.create(resilience());
    RestClient client = RestClient.builder().requestInterceptor(interceptor)
        .baseUrl(sim.httpBaseUrl()).defaultHeader(HttpHeaders.AUTHORIZATION, TOKEN).build();

    client.get().uri("/sites/1/games").retrieve().body(String.class);

    String problem = interceptor.stackProblem().orElseThrow();
    assertTrue(problem.contains("retries on its own") && problem.contains("AssignrClientHttpRequestInterceptor.configure"), problem);
  }

  @Test
  void a_rest_template_on_springs_default_http_client_5_factory_is_found_too_and_the_jdk_client_is_not() {
    AssignrClientHttpRequestInterceptor below = AssignrClientHttpRequestInterceptor.create(resilience());
    RestTemplate template = new RestTemplate(new HttpComponentsClientHttpRequestFactory());
    template.getInterceptors().add(below);
    template.exchange(RequestEntity.get(URI.create(sim.httpBaseUrl() + "/sites/1/games"))
        .header(HttpHeaders.AUTHORIZATION, TOKEN).build(), String.class);
    assertTrue(below.stackProblem().isPresent());

    RestTemplate configured = AssignrClientHttpRequestInterceptor.configure(new RestTemplate(), resilience());
    configured.exchange(RequestEntity.get(URI.create(sim.httpBaseUrl() + "/sites/1/games"))
        .header(HttpHeaders.AUTHORIZATION, TOKEN).build(), String.class);
    assertFalse(((AssignrClientHttpRequestInterceptor) configured.getInterceptors().get(0)).stackProblem().isPresent());
  }

  static void assertWaitedOut429(List<JournalEntry> arrivals) {
    assertEquals(List.of(429, 200), arrivals.stream().map(JournalEntry::status).toList());
    assertFalse(Duration.between(arrivals.get(0).arrivedAt(), arrivals.get(1).arrivedAt()).minusSeconds(3).isNegative(),
        "the second arrival is after the reset");
  }
}
