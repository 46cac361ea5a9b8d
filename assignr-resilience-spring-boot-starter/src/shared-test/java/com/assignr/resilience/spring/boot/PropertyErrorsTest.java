package com.assignr.resilience.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.assignr.resilience.spring.boot.internal.PropertyFailureAnalyzer;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.Collections;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.validation.FieldError;

/**
 * A bad value in {@code application.properties} fails startup as Boot reports its own properties:
 * the dashed name and the file and line it came from (what Boot's failure analyzer prints as
 * {@code Property:} and {@code Origin:}). Shared by both Boot lines.
 */
class PropertyErrorsTest {
  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class App {}

  @Test
  void a_refused_value_is_named_in_the_dashed_form_with_its_origin_line() throws IOException {
    SpringApplication app = new SpringApplication(App.class);
    app.setWebApplicationType(WebApplicationType.NONE);
    AtomicReference<ConfigurableEnvironment> environment = new AtomicReference<>();
    app.addListeners((ApplicationListener<ApplicationEnvironmentPreparedEvent>) e -> environment.set(e.getEnvironment()));
    Throwable failure = catchThrowable(() -> app.run("--spring.config.location=classpath:bad-assignr.properties"));

    BindValidationException validation = find(failure, BindValidationException.class);
    assertThat(validation).as("startup fails on the properties' validation: " + failure).isNotNull();
    assertThat(validation.getValidationErrors().getAllErrors()).extracting(e -> ((FieldError) e).getField())
        .containsExactlyInAnyOrder("retry.max-attempts", "gate.cold-start-concurrency");

    // What Boot prints: the analyzer the starter registers, ahead of Boot's own for these properties.
    assertThat(registeredAnalyzers()).contains(PropertyFailureAnalyzer.class.getName());
    FailureAnalysis analysis = new PropertyFailureAnalyzer(environment.get()).analyze(failure);
    assertThat(analysis.getDescription())
        .contains("    Property: assignr.resilience.retry.max-attempts\n    Value: \"0\"\n"
            + "    Origin: class path resource [bad-assignr.properties] - 3:")
        .contains("    Reason: must be between 1 and 100 but was 0")
        .contains("    Property: assignr.resilience.gate.cold-start-concurrency\n    Value: \"-1\"\n"
            + "    Origin: class path resource [bad-assignr.properties] - 4:")
        .doesNotContain("maxAttempts").doesNotContain("coldStartConcurrency");
  }

  /** The failure analyzers the class path's spring.factories name. */
  static String registeredAnalyzers() throws IOException {
    StringBuilder all = new StringBuilder();
    for (URL url : Collections.list(PropertyErrorsTest.class.getClassLoader().getResources("META-INF/spring.factories"))) {
      Properties factories = new Properties();
      try (InputStream in = url.openStream()) {
        factories.load(in);
      }
      all.append(factories.getProperty(FailureAnalyzer.class.getName(), "")).append(',');
    }
    return all.toString();
  }

  static <T extends Throwable> T find(Throwable thrown, Class<T> type) {
    for (Throwable t = thrown; t != null; t = t.getCause()) {
      if (type.isInstance(t)) return type.cast(t);
    }
    return null;
  }
}
