package com.assignr.resilience.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import com.assignr.resilience.micrometer.AssignrMetrics;
import com.assignr.resilience.testkit.VirtualTime;
import com.assignr.resilience.testkit.AssignrSimulator;
import com.assignr.resilience.testkit.JournalEntry;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.client.RestClient;

/**
 * A whole Boot application as a user writes it: the starter, three properties, a {@code RestClient}
 * from the {@code @AssignrRestClient} builder, and Boot's own meter registry. The one test-only
 * bean puts the library on virtual time, so the 503's backoff takes no real time.
 */
@SpringBootTest(classes = SpringBootRestClientTest.App.class, webEnvironment = SpringBootTest.WebEnvironment.NONE)
class SpringBootRestClientTest {
  static final VirtualTime TIME = VirtualTime.autoAdvancing();
  static final AssignrSimulator SIM = AssignrSimulator.builder().clock(TIME.clock()).start();

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry properties) {
    properties.add("assignr.resilience.base-url", SIM::httpBaseUrl);
    properties.add("assignr.resilience.credentials.token", () -> "boot-test-token");
    properties.add("assignr.resilience.allow-insecure-loopback", () -> "true"); // the simulator is plain HTTP
  }

  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class App {
    @Bean
    RestClient assignr(@AssignrRestClient RestClient.Builder builder) {
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

  @Autowired RestClient assignr;
  @Autowired MeterRegistry registry;
  @Autowired @Qualifier("assignrHealthIndicator") HealthIndicator health;

  @Test
  void an_injected_rest_client_retries_meters_and_reports_health() {
    SIM.script().serviceUnavailable(1);

    String games = assignr.get().uri("/sites/1/games?limit=5").retrieve().body(String.class);

    assertThat(games).contains("\"games\"");
    List<JournalEntry> arrivals = SIM.journal().entries("GET", "/api/v2/sites/1/games");
    assertThat(arrivals).extracting(JournalEntry::status).containsExactly(503, 200);
    assertThat(arrivals).allMatch(JournalEntry::authorizationPresent).allMatch(JournalEntry::acceptHeaderValid);
    assertThat(TIME.sleeps()).containsExactly(Duration.ofMillis(500));

    assertThat(registry.get(AssignrMetrics.CALLS).tags("outcome", "successful_with_retry", "method", "GET").counter().count())
        .isEqualTo(1);
    assertThat(registry.get(AssignrMetrics.RETRIES).tags("cause", "503").counter().count()).isEqualTo(1);
    assertThat(registry.get(AssignrMetrics.REMAINING).tags("window", "60s").gauge().value()).isEqualTo(178);

    Health h = health.health();
    assertThat(h.getStatus()).isEqualTo(Status.UP);
    assertThat(h.getDetails()).containsEntry("gate", "open");
    @SuppressWarnings("unchecked")
    Map<String, Map<String, Object>> quotas = (Map<String, Map<String, Object>>) h.getDetails().get("quotas");
    assertThat(quotas).hasSize(1);
    assertThat(quotas.values().iterator().next()).containsEntry("remaining", 178L).containsEntry("limit", 180L);
    assertThat(h.getDetails().toString()).doesNotContain("boot-test-token");
  }
}
