package com.assignr.resilience.spring.boot;

import org.springframework.boot.web.client.RestTemplateBuilder;
import org.springframework.context.ApplicationContext;
import org.springframework.web.client.RestTemplate;

/** What the shared tests need that is spelled differently on this Boot line (3.5). */
final class TestLine {
  private TestLine() {}

  /** A template from the {@code @AssignrRestClient RestTemplateBuilder}. */
  static RestTemplate assignrRestTemplate(ApplicationContext context) {
    return context.getBean("assignrRestTemplateBuilder", RestTemplateBuilder.class).build();
  }
}
