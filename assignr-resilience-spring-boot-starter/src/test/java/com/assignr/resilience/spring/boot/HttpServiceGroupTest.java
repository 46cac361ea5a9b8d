package com.assignr.resilience.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.assignr.resilience.AssignrResilience;
import com.assignr.resilience.testkit.AssignrSimulator;
import com.assignr.resilience.testkit.JournalEntry;
import com.assignr.resilience.testkit.ScriptedResponse;
import com.assignr.resilience.testkit.VirtualTime;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.client.HttpServerErrorException;
import org.springframework.web.service.annotation.GetExchange;
import org.springframework.web.service.annotation.HttpExchange;
import org.springframework.web.service.annotation.PostExchange;
import org.springframework.web.service.registry.ImportHttpServices;

/**
 * Boot 4's HTTP service clients: an {@code @HttpExchange} interface in the group named by {@code
 * assignr.resilience.service-groups}, as Boot 4 wants API clients written. HttpClient 5 is on the
 * class path, so without the starter the group would run on it (Boot's detection), retries and all.
 */
@SpringBootTest(classes = HttpServiceGroupTest.App.class, webEnvironment = SpringBootTest.WebEnvironment.NONE)
class HttpServiceGroupTest {
  static final VirtualTime TIME = VirtualTime.autoAdvancing();
  static final AssignrSimulator SIM = AssignrSimulator.builder().clock(TIME.clock()).start();
  static final String GAMES = "/api/v2/sites/1/games";

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry properties) {
    properties.add("assignr.resilience.base-url", SIM::httpBaseUrl);
    properties.add("assignr.resilience.credentials.token", () -> "group-token");
    properties.add("assignr.resilience.allow-insecure-loopback", () -> "true");
    properties.add("assignr.resilience.service-groups", () -> "assignr");
  }

  @HttpExchange
  interface Games {
    @GetExchange("/sites/{site}/games")
    String list(@PathVariable("site") long site);

    @PostExchange(url = "/sites/{site}/games", contentType = AssignrResilience.ASSIGNR_MEDIA_TYPE)
    String create(@PathVariable("site") long site, @RequestBody String game);
  }

  @SpringBootConfiguration
  @EnableAutoConfiguration
  @ImportHttpServices(group = "assignr", types = Games.class)
  static class App {
    @Bean
    AssignrResilienceCustomizer virtualTime() {
      return builder -> builder.timeSource(TIME).random(() -> 0.0);
    }
  }

  @AfterAll
  static void stop() {
    SIM.close();
  }

  @Autowired Games games;

  @BeforeEach
  void fresh() {
    SIM.reset();
  }

  @Test
  void a_service_client_waits_out_a_429_with_the_token_and_base_url_of_the_properties() {
    SIM.script().on("GET", GAMES).next(1).respond(ScriptedResponse.status(429).header("X-Ratelimit-Reset-Seconds-Remaining", "3"));
    assertThat(games.list(1)).contains("\"games\"");
    BootApplicationTest.assertWaitedOut429(SIM.journal().entries("GET", GAMES));
    assertThat(SIM.journal().entries("GET", GAMES)).allMatch(JournalEntry::authorizationPresent);
  }

  @Test
  void a_post_answered_500_arrives_once_and_one_answered_503_as_often_as_the_library_attempts() {
    SIM.script().on("POST", GAMES).next(1).respondStatus(500);
    assertThatThrownBy(() -> games.create(1, BootApplicationTest.NEW_GAME)).isInstanceOf(HttpServerErrorException.class);
    assertThat(SIM.journal().entries("POST", GAMES)).hasSize(1);

    SIM.reset();
    SIM.script().on("POST", GAMES).always().respondStatus(503);
    assertThatThrownBy(() -> games.create(1, BootApplicationTest.NEW_GAME)).isInstanceOf(HttpServerErrorException.class);
    assertThat(SIM.journal().entries("POST", GAMES)).hasSize(5);
  }

  @Test
  void a_processed_post_whose_answer_is_lost_arrives_once() {
    for (boolean reset : new boolean[] {false, true}) {
      SIM.reset();
      int before = SIM.gameCount(1);
      var trigger = SIM.script().on("POST", GAMES).next(1);
      if (reset) trigger.processThenReset(); else trigger.processThenClose();
      assertThatThrownBy(() -> games.create(1, BootApplicationTest.NEW_GAME))
          .isInstanceOf(org.springframework.web.client.ResourceAccessException.class);
      assertThat(SIM.journal().entries("POST", GAMES)).as(reset ? "reset" : "closed").hasSize(1);
      assertThat(SIM.gameCount(1) - before).as("games created").isEqualTo(1);
    }
  }
}
