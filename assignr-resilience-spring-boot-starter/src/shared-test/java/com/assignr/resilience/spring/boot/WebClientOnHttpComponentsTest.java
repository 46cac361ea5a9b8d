package com.assignr.resilience.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.assignr.resilience.AssignrResilience;
import com.assignr.resilience.testkit.AssignrSimulator;
import com.assignr.resilience.testkit.ScriptedResponse;
import com.assignr.resilience.testkit.VirtualTime;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.http.client.reactive.ClientHttpConnectorBuilder;
import org.springframework.boot.http.client.reactive.HttpComponentsClientHttpConnectorBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientResponseException;

/**
 * An application whose Boot picks Apache HttpClient 5's reactive connector for {@code WebClient}
 * (httpcore5-reactive on the class path, chosen by property). Its async client resends each 429 and
 * 503 once by itself, below every filter: Boot's plain builder shows it (a GET answered 503 reaches
 * the server twice). The Assignr builders are put on the JDK's client instead, so the server counts
 * exactly the library's attempts. The same source on both lines (src/shared-test).
 */
@SpringBootTest(classes = WebClientOnHttpComponentsTest.App.class, webEnvironment = SpringBootTest.WebEnvironment.NONE)
class WebClientOnHttpComponentsTest {
  static final VirtualTime TIME = VirtualTime.autoAdvancing();
  static final AssignrSimulator SIM = AssignrSimulator.builder().clock(TIME.clock()).start();
  static final String GAMES = BootApplicationTest.GAMES;
  /** Boot 4's name and Boot 3.5's: each line reads its own. */
  static final Map<String, Object> PROPERTIES = Map.of(
      "spring.http.clients.reactive.connector", "http-components",
      "spring.http.reactiveclient.connector", "http-components",
      "assignr.resilience.credentials.token", "hc5-token",
      "assignr.resilience.allow-insecure-loopback", "true");

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry properties) {
    PROPERTIES.forEach((name, value) -> properties.add(name, () -> value));
    properties.add("assignr.resilience.base-url", SIM::httpBaseUrl);
  }

  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class App {
    @Bean
    WebClient assignr(@AssignrWebClient WebClient.Builder builder) {
      return builder.build();
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
  @Autowired WebClient.Builder bootsOwnBuilder;
  @Autowired ApplicationContext context;

  @BeforeEach
  void fresh() {
    SIM.reset();
  }

  @Test
  void boot_picked_http_client_5_which_resends_a_503_by_itself() {
    assertThat(context.getBean(ClientHttpConnectorBuilder.class)).isInstanceOf(HttpComponentsClientHttpConnectorBuilder.class);
    WebClient plain = bootsOwnBuilder.baseUrl(SIM.httpBaseUrl()).build();
    SIM.script().on("GET", GAMES).always().respondStatus(503);
    assertThatThrownBy(() -> plain.get().uri("/sites/1/games").retrieve().bodyToMono(String.class).block())
        .isInstanceOf(WebClientResponseException.ServiceUnavailable.class);
    assertThat(SIM.journal().entries("GET", GAMES)).as("one call, resent by HttpClient 5").hasSize(2);
  }

  @Test
  void the_assignr_web_client_sends_a_get_answered_503_as_often_as_the_library_attempts_and_waits_out_a_429() {
    int maxAttempts = context.getBean(AssignrResilience.class).policy().maxAttempts();
    SIM.script().on("GET", GAMES).always().respondStatus(503);
    assertThatThrownBy(() -> assignr.get().uri("/sites/1/games").retrieve().bodyToMono(String.class).block())
        .isInstanceOf(WebClientResponseException.ServiceUnavailable.class);
    assertThat(SIM.journal().entries("GET", GAMES)).hasSize(maxAttempts);

    SIM.reset();
    SIM.script().on("GET", GAMES).next(1).respond(ScriptedResponse.status(429).header("X-Ratelimit-Reset-Seconds-Remaining", "3"));
    assertThat(assignr.get().uri("/sites/1/games").retrieve().bodyToMono(String.class).block()).contains("\"games\"");
    BootApplicationTest.assertWaitedOut429(SIM.journal().entries("GET", GAMES));
  }

  /** With apply-to-all, Boot's own builder too: the starter's customizer runs after Boot's connector's. */
  @Test
  void with_apply_to_all_boots_own_builder_leaves_http_client_5_too() {
    try (ConfigurableApplicationContext all = new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE)
        .properties(PROPERTIES).properties("assignr.resilience.base-url=" + SIM.httpBaseUrl(),
            "assignr.resilience.web-client.apply-to-all=true")
        .run()) {
      int maxAttempts = all.getBean(AssignrResilience.class).policy().maxAttempts();
      WebClient plain = all.getBean("webClientBuilder", WebClient.Builder.class).baseUrl(SIM.httpBaseUrl())
          .defaultHeader("Authorization", "Bearer hc5-token").build();
      SIM.script().on("GET", GAMES).always().respondStatus(503);
      assertThatThrownBy(() -> plain.get().uri("/sites/1/games").retrieve().bodyToMono(String.class).block())
          .isInstanceOf(WebClientResponseException.ServiceUnavailable.class);
      assertThat(SIM.journal().entries("GET", GAMES)).hasSize(maxAttempts);
    }
  }
}
