package com.assignr.resilience.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import com.assignr.resilience.AssignrResilience;
import com.assignr.resilience.spring.AssignrClientHttpRequestInterceptor;
import com.assignr.resilience.spring.AssignrExchangeFilterFunction;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * The WebClient wiring in isolation, on this module's Boot line (src/shared-test): WebFlux stays
 * optional, the filter is the {@code AssignrResilience} bean's, and an application's own filter bean
 * wins.
 */
class WebClientWiringTest {
  final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(AssignrResilienceAutoConfiguration.class));

  @Test
  void without_webflux_the_rest_client_side_starts_and_nothing_of_webclient_is_defined() {
    runner.withClassLoader(new FilteredClassLoader("org.springframework.web.reactive", "reactor."))
        .withPropertyValues("assignr.resilience.web-client.apply-to-all=true")
        .run(context -> {
          assertThat(context).hasNotFailed().hasSingleBean(AssignrClientHttpRequestInterceptor.class)
              .doesNotHaveBean("assignrExchangeFilterFunction").doesNotHaveBean("assignrWebClientBuilder")
              .doesNotHaveBean("assignrWebClientCustomizer");
        });
  }

  @Test
  void the_filter_runs_on_the_applications_configuration_and_the_marked_builder_has_it_once() {
    runner.withPropertyValues("assignr.resilience.base-url=https://assignr.example/api/v2")
        .run(context -> {
          AssignrExchangeFilterFunction filter = context.getBean(AssignrExchangeFilterFunction.class);
          assertThat(filter.resilience()).isSameAs(context.getBean(AssignrResilience.class));
          WebClient.Builder marked = context.getBean("assignrWebClientBuilder", WebClient.Builder.class);
          assertThat(filters(marked)).containsExactly(filter);
          assertThat(context.getBean("assignrWebClientBuilder", WebClient.Builder.class))
              .as("a new builder per injection point").isNotSameAs(marked);
          assertThat(context).doesNotHaveBean("assignrWebClientCustomizer");
        });
  }

  @Test
  void an_applications_own_filter_bean_wins() {
    runner.withUserConfiguration(OwnFilter.class).run(context -> {
      AssignrExchangeFilterFunction own = context.getBean(AssignrExchangeFilterFunction.class);
      assertThat(own.replayCopyLimit()).isEqualTo(4096);
      assertThat(filters(context.getBean("assignrWebClientBuilder", WebClient.Builder.class))).containsExactly(own);
    });
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnFilter {
    @Bean
    AssignrExchangeFilterFunction ownFilter(AssignrResilience resilience) {
      return AssignrExchangeFilterFunction.builder(resilience).replayCopyLimit(4096).build();
    }
  }

  static List<Object> filters(WebClient.Builder builder) {
    List<Object> seen = new ArrayList<>();
    builder.clone().filters(seen::addAll);
    return seen;
  }
}
