package com.assignr.resilience.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import com.assignr.resilience.AssignrResilience;
import com.assignr.resilience.GatePolicy;
import com.assignr.resilience.RequestInfo;
import com.assignr.resilience.RetryPolicy;
import com.assignr.resilience.Slf4jRetryListener;
import com.assignr.resilience.micrometer.AssignrMetrics;
import com.assignr.resilience.spring.AssignrClientHttpRequestInterceptor;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.web.client.RestClient;

/** The auto-configuration in isolation: what it defines, how properties bind, when it backs off. */
class AutoConfigurationTest {
  final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(AssignrResilienceAutoConfiguration.class, RestClientAutoConfiguration.class));

  @Test
  void defaults_are_cores_defaults_and_keep_the_logging_listener() {
    runner.run(context -> {
      assertThat(context).hasSingleBean(AssignrResilience.class).hasSingleBean(AssignrClientHttpRequestInterceptor.class)
          .hasBean("assignrHealthIndicator").doesNotHaveBean(AssignrMetrics.class);
      AssignrResilience r = context.getBean(AssignrResilience.class);
      assertThat(r.policy().toString()).isEqualTo(RetryPolicy.defaults().toString());
      assertThat(r.gatePolicy().toString()).isEqualTo(GatePolicy.defaults().toString());
      assertThat(r.throwOnFailure()).isFalse();
      assertThat(r.listeners()).hasSize(1).first().isInstanceOf(Slf4jRetryListener.class);
    });
  }

  @Test
  void properties_bind_to_the_policy_the_gate_and_the_quota() {
    runner.withPropertyValues("assignr.resilience.retry.max-attempts=3",
        "assignr.resilience.retry.initial-backoff=250ms", "assignr.resilience.retry.max-server-wait=2m",
        "assignr.resilience.gate.reserve=7", "assignr.resilience.gate.pacing=true",
        "assignr.resilience.quota-key=assignr:club-42", "assignr.resilience.throw-on-failure=true")
        .run(context -> {
          AssignrResilience r = context.getBean(AssignrResilience.class);
          assertThat(r.policy().maxAttempts()).isEqualTo(3);
          assertThat(r.policy().initialBackoff()).isEqualTo(Duration.ofMillis(250));
          assertThat(r.policy().maxServerWait()).isEqualTo(Duration.ofMinutes(2));
          assertThat(r.gatePolicy().reserve()).isEqualTo(7);
          assertThat(r.gatePolicy().pacing()).isTrue();
          assertThat(r.throwOnFailure()).isTrue();
          assertThat(r.quotaKey().keyFor(RequestInfo.of("GET", URI.create("https://api.assignr.com/"), true), "Bearer x"))
              .isEqualTo("assignr:club-42");
        });
  }

  @Test
  void a_value_core_refuses_fails_startup_naming_the_property_and_the_rule() {
    runner.withPropertyValues("assignr.resilience.retry.max-attempts=0", "assignr.resilience.gate.reserve=500")
        .run(context -> {
          assertThat(context).hasFailed();
          String message = messages(context.getStartupFailure());
          assertThat(message).contains("assignr.resilience")
              .contains("retry.max-attempts").contains("must be between 1 and 100 but was 0")
              .contains("gate.reserve").contains("must be between 0 and 179");
        });
  }

  @Test
  void the_binders_own_rule_refuses_max_quotas_on_its_property() {
    runner.withPropertyValues("assignr.resilience.metrics.max-quotas=0").run(context -> {
      assertThat(context).hasFailed();
      assertThat(messages(context.getStartupFailure())).contains("metrics.max-quotas")
          .contains("must be between 1 and 10000 but was 0");
    });
  }

  @Test
  void a_malformed_duration_fails_startup_naming_the_property() {
    runner.withPropertyValues("assignr.resilience.retry.max-backoff=soon").run(context -> {
      assertThat(context).hasFailed();
      assertThat(messages(context.getStartupFailure())).contains("assignr.resilience.retry.max-backoff").contains("soon");
    });
  }

  @Test
  void every_bean_backs_off_when_the_application_defines_its_own() {
    runner.withUserConfiguration(OwnBeans.class).run(context -> {
      assertThat(context.getBean(AssignrResilience.class)).isSameAs(OwnBeans.RESILIENCE);
      assertThat(context).hasSingleBean(AssignrClientHttpRequestInterceptor.class);
      assertThat(context.getBean(AssignrClientHttpRequestInterceptor.class)).isSameAs(OwnBeans.INTERCEPTOR);
      assertThat(context.getBean("assignrHealthIndicator")).isSameAs(OwnBeans.HEALTH);
      assertThat(context.getBean(AssignrMetrics.class)).isSameAs(OwnBeans.METRICS);
    });
  }

  @Test
  void the_auto_configured_bean_backs_off_for_a_customizer_without_losing_the_properties() {
    runner.withPropertyValues("assignr.resilience.retry.max-attempts=2")
        .withBean(AssignrResilienceCustomizer.class, () -> b -> b.throwOnFailure(true))
        .run(context -> {
          AssignrResilience r = context.getBean(AssignrResilience.class);
          assertThat(r.policy().maxAttempts()).isEqualTo(2);
          assertThat(r.throwOnFailure()).isTrue();
        });
  }

  @Test
  void with_a_meter_registry_the_binder_is_a_listener_and_watches_the_gates() {
    runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new).run(context -> {
      AssignrMetrics metrics = context.getBean(AssignrMetrics.class);
      AssignrResilience r = context.getBean(AssignrResilience.class);
      assertThat(r.listeners()).hasSize(2).contains(metrics).first().isInstanceOf(Slf4jRetryListener.class);
      MeterRegistry registry = context.getBean(MeterRegistry.class);
      assertThat(registry.find(AssignrMetrics.GATE_CLOSED).gauge()).as("no quota used yet").isNull();

      InMemoryCall.answer(r, "Bearer x", 200, InMemoryCall.headers("170")); // a response teaches the gate

      assertThat(registry.find(AssignrMetrics.GATE_CLOSED).gauge().value()).isEqualTo(0);
      assertThat(registry.find(AssignrMetrics.REMAINING).tags("window", "60s").gauge().value()).isEqualTo(170);
    });
  }

  @Test
  void metrics_can_be_switched_off() {
    runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
        .withPropertyValues("assignr.resilience.metrics.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean(AssignrMetrics.class));
  }

  @Test
  void works_without_micrometer_or_actuator_on_the_classpath() {
    runner.withClassLoader(new FilteredClassLoader("io.micrometer", "com.assignr.resilience.micrometer",
        "org.springframework.boot.health")).run(context -> {
          assertThat(context).hasNotFailed().hasSingleBean(AssignrResilience.class)
              .doesNotHaveBean("assignrMetrics").doesNotHaveBean("assignrHealthIndicator");
          assertThat(context.getBean(AssignrResilience.class).listeners()).hasSize(1);
        });
  }

  @Test
  void only_marked_builders_get_the_interceptor_unless_all_are_asked_for() {
    runner.withUserConfiguration(Clients.class).withPropertyValues("assignr.resilience.credentials.token=t0k3n").run(context -> {
      ClientHttpRequestInterceptor interceptor = context.getBean(AssignrClientHttpRequestInterceptor.class);
      assertThat(interceptors(context.getBean(Builders.class).marked())).containsExactly(interceptor);
      assertThat(interceptors(context.getBean(Builders.class).plain())).isEmpty();
    });
    runner.withUserConfiguration(Clients.class).withPropertyValues("assignr.resilience.rest-client.apply-to-all=true")
        .run(context -> {
          ClientHttpRequestInterceptor interceptor = context.getBean(AssignrClientHttpRequestInterceptor.class);
          assertThat(interceptors(context.getBean(Builders.class).plain())).containsExactly(interceptor);
          assertThat(interceptors(context.getBean(Builders.class).marked())).as("added once").containsExactly(interceptor);
        });
  }

  @Test
  void the_health_indicator_is_up_with_each_gates_state() {
    runner.run(context -> {
      AssignrResilience r = context.getBean(AssignrResilience.class);
      InMemoryCall.answer(r, "Bearer secret-value", 429, InMemoryCall.headers("0"));
      Health health = context.getBean("assignrHealthIndicator", HealthIndicator.class).health();

      assertThat(health.getStatus()).isEqualTo(Status.UP);
      assertThat(health.getDetails()).containsEntry("gate", "closed").containsEntry("store", "ok");
      assertThat(health.getDetails().toString()).contains("remaining=0").contains("limit=180")
          .contains("windowSeconds=60").contains("store=local").doesNotContain("secret-value");
    });
  }

  @Test
  void everything_is_off_when_disabled() {
    runner.withPropertyValues("assignr.resilience.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean(AssignrResilience.class)
            .doesNotHaveBean(AssignrClientHttpRequestInterceptor.class));
  }

  static List<ClientHttpRequestInterceptor> interceptors(RestClient.Builder builder) {
    List<ClientHttpRequestInterceptor> seen = new ArrayList<>();
    builder.requestInterceptors(seen::addAll);
    return seen;
  }

  static String messages(Throwable t) {
    StringBuilder b = new StringBuilder();
    for (; t != null; t = t.getCause()) b.append(t.getMessage()).append('\n');
    return b.toString();
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnBeans {
    static final AssignrMetrics METRICS = AssignrMetrics.create(new SimpleMeterRegistry());
    static final AssignrResilience RESILIENCE = AssignrResilience.builder().addListener(METRICS).build();
    static final AssignrClientHttpRequestInterceptor INTERCEPTOR = AssignrClientHttpRequestInterceptor.create(RESILIENCE);
    static final HealthIndicator HEALTH = () -> Health.up().build();

    @Bean AssignrResilience myResilience() { return RESILIENCE; }
    @Bean AssignrClientHttpRequestInterceptor myInterceptor() { return INTERCEPTOR; }
    @Bean HealthIndicator assignrHealthIndicator() { return HEALTH; }
    @Bean AssignrMetrics myMetrics() { return METRICS; }
    @Bean MeterRegistry registry() { return METRICS.registry(); }
  }

  /** What an application injects: Boot's builder, and the one marked for Assignr. */
  record Builders(RestClient.Builder marked, RestClient.Builder plain) {}

  @Configuration(proxyBeanMethods = false)
  static class Clients {
    @Bean Builders builders(@AssignrRestClient RestClient.Builder marked, RestClient.Builder plain) {
      return new Builders(marked, plain);
    }
  }
}
