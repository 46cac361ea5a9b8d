package com.assignr.resilience.spring.boot;

import org.springframework.boot.web.client.RestTemplateBuilder;
import java.util.Map;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.context.ApplicationContext;
import org.springframework.web.client.RestTemplate;

/** What the shared tests need that is spelled differently on this Boot line (3.5). */
final class TestLine {
  private TestLine() {}

  /** A template from the {@code @AssignrRestClient RestTemplateBuilder}. */
  static RestTemplate assignrRestTemplate(ApplicationContext context) {
    return context.getBean("assignrRestTemplateBuilder", RestTemplateBuilder.class).build();
  }

  /** The {@code assignrHealthIndicator}'s health, in terms both lines share. */
  record HealthView(String status, Map<String, Object> details, String text) {}

  static HealthView assignrHealth(ApplicationContext context) {
    Health health = context.getBean("assignrHealthIndicator", HealthIndicator.class).health();
    return new HealthView(health.getStatus().getCode(), health.getDetails(), health.toString());
  }
}
