package com.assignr.resilience.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.assignr.resilience.AssignrResilience;
import com.assignr.resilience.TransportException;
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
import org.springframework.web.reactive.function.client.WebClientResponseException;
import org.springframework.web.service.annotation.GetExchange;
import org.springframework.web.service.annotation.HttpExchange;
import org.springframework.web.service.annotation.PostExchange;
import org.springframework.web.service.registry.HttpServiceGroup;
import org.springframework.web.service.registry.ImportHttpServices;

/**
 * Boot 4's HTTP service clients backed by {@code WebClient} ({@code clientType = WEB_CLIENT}): the
 * group named by {@code assignr.resilience.service-groups} gets the filter, the base URL and the
 * token of the properties; another group, for another service, is left as Boot makes it. The same
 * faults and counts as {@link HttpServiceGroupTest} (the {@code RestClient} groups) and {@link
 * WebClientBootTest} (the proxy over {@code WebClientAdapter}, the only way on Boot 3.5).
 */
@SpringBootTest(classes = WebClientServiceGroupTest.App.class, webEnvironment = SpringBootTest.WebEnvironment.NONE)
class WebClientServiceGroupTest {
  static final VirtualTime TIME = VirtualTime.autoAdvancing();
  static final AssignrSimulator SIM = AssignrSimulator.builder().clock(TIME.clock()).start();
  static final String GAMES = BootApplicationTest.GAMES;

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry properties) {
    properties.add("assignr.resilience.base-url", SIM::httpBaseUrl);
    properties.add("assignr.resilience.credentials.token", () -> "group-token");
    properties.add("assignr.resilience.allow-insecure-loopback", () -> "true");
    properties.add("assignr.resilience.service-groups", () -> "assignr");
    // The other group is another service's: its base URL is its own (here the simulator, to count).
    properties.add("spring.http.serviceclient.other.base-url", SIM::httpBaseUrl);
  }

  @HttpExchange
  interface Games {
    @GetExchange("/sites/{site}/games")
    String list(@PathVariable("site") long site);

    @PostExchange(url = "/sites/{site}/games", contentType = AssignrResilience.ASSIGNR_MEDIA_TYPE)
    String create(@PathVariable("site") long site, @RequestBody String game);
  }

  @HttpExchange
  interface OtherService {
    @GetExchange("/sites/{site}/games")
    String list(@PathVariable("site") long site);
  }

  @SpringBootConfiguration
  @EnableAutoConfiguration
  @ImportHttpServices(group = "assignr", types = Games.class, clientType = HttpServiceGroup.ClientType.WEB_CLIENT)
  @ImportHttpServices(group = "other", types = OtherService.class, clientType = HttpServiceGroup.ClientType.WEB_CLIENT)
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
  @Autowired OtherService other;

  @BeforeEach
  void fresh() {
    SIM.reset();
  }

  @Test
  void a_web_client_service_client_waits_out_a_429_with_the_token_and_base_url_of_the_properties() {
    SIM.script().on("GET", GAMES).next(1).respond(ScriptedResponse.status(429).header("X-Ratelimit-Reset-Seconds-Remaining", "3"));
    assertThat(games.list(1)).contains("\"games\"");
    BootApplicationTest.assertWaitedOut429(SIM.journal().entries("GET", GAMES));
    assertThat(SIM.journal().entries("GET", GAMES)).allMatch(JournalEntry::authorizationPresent);
  }

  @Test
  void a_post_answered_500_arrives_once_and_one_answered_503_as_often_as_the_library_attempts() {
    int before = SIM.gameCount(1);
    SIM.script().on("POST", GAMES).next(1).respondStatus(500);
    assertThatThrownBy(() -> games.create(1, BootApplicationTest.NEW_GAME))
        .isInstanceOf(WebClientResponseException.InternalServerError.class);
    assertThat(SIM.journal().entries("POST", GAMES)).hasSize(1);
    assertThat(SIM.gameCount(1)).isEqualTo(before);

    SIM.reset();
    SIM.script().on("POST", GAMES).always().respondStatus(503);
    assertThatThrownBy(() -> games.create(1, BootApplicationTest.NEW_GAME))
        .isInstanceOf(WebClientResponseException.ServiceUnavailable.class);
    assertThat(SIM.journal().entries("POST", GAMES)).hasSize(5);
  }

  @Test
  void a_processed_post_whose_answer_is_lost_arrives_once() {
    for (boolean reset : new boolean[] {false, true}) {
      SIM.reset();
      int before = SIM.gameCount(1);
      var trigger = SIM.script().on("POST", GAMES).next(1);
      if (reset) trigger.processThenReset(); else trigger.processThenClose();
      assertThatThrownBy(() -> games.create(1, BootApplicationTest.NEW_GAME)).hasCauseInstanceOf(TransportException.class);
      assertThat(SIM.journal().entries("POST", GAMES)).as(reset ? "reset" : "closed").hasSize(1);
      assertThat(SIM.gameCount(1) - before).as("games created").isEqualTo(1);
    }
  }

  @Test
  void a_group_not_named_is_left_alone() {
    SIM.script().on("GET", GAMES).always().respondStatus(503);
    assertThatThrownBy(() -> other.list(1)).isInstanceOf(WebClientResponseException.ServiceUnavailable.class);
    assertThat(SIM.journal().entries("GET", GAMES)).hasSize(1)
        .noneMatch(JournalEntry::authorizationPresent).noneMatch(JournalEntry::acceptHeaderValid);
  }
}
