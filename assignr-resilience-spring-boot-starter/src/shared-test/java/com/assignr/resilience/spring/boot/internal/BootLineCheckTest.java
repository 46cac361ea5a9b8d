package com.assignr.resilience.spring.boot.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.SpringBootVersion;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.context.ApplicationContextInitializer;

/** The starter on the other Boot line fails at startup with one line naming the artifact to use. Shared by both lines. */
class BootLineCheckTest {
  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class App {}

  @Test
  void this_line_passes_and_the_check_is_registered_for_every_application() {
    assertThat(BootLineCheck.problem(SpringBootVersion.getVersion(), 0)).isNull();
    assertThat(BootLineCheck.problem(null, BootLine.MAJOR)).as("no version in the manifest: the classes decide").isNull();
    assertThat(SpringFactoriesLoader.loadFactories(ApplicationContextInitializer.class, getClass().getClassLoader()))
        .anyMatch(BootLineCheck.class::isInstance);
  }

  @Test
  void the_other_line_fails_startup_naming_the_artifact_to_use() {
    String other = BootLine.OTHER_MAJOR + ".5.7";
    SpringApplication app = new SpringApplication(App.class);
    app.setWebApplicationType(WebApplicationType.NONE);
    app.addInitializers(new BootLineCheck(() -> other)); // as if the application ran the other line

    Throwable failure = catchThrowable(app::run);

    assertThat(failure).isInstanceOf(BootLineCheck.WrongBootLineException.class)
        .hasMessage(BootLine.ARTIFACT + " is for Spring Boot " + BootLine.MAJOR + ".x, but this application runs Spring Boot "
            + other + ": replace it with com.assignr.resilience:" + BootLine.OTHER_ARTIFACT + " (same properties, beans and types)");
    FailureAnalysis analysis = new BootLineCheck.Analyzer().analyze(failure);
    assertThat(analysis.getDescription()).isEqualTo(failure.getMessage());
    assertThat(analysis.getAction()).contains(BootLine.OTHER_ARTIFACT);
    assertThat(BootLineCheck.problem("5.0.0", BootLine.MAJOR)).contains("no assignr-resilience starter supports it yet");
  }
}
