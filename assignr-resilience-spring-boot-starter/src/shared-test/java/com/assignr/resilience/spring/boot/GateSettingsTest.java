package com.assignr.resilience.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import com.assignr.resilience.AssignrResilience;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.validation.FieldError;

/** {@code assignr.resilience.gate.interactive-share} (core's {@code GatePolicy.interactiveShare}), on both Boot lines. */
class GateSettingsTest {
  final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(AssignrResilienceAutoConfiguration.class));

  @Test
  void the_interactive_share_reaches_the_gate_policy() {
    runner.withPropertyValues("assignr.resilience.gate.interactive-share=0.4").run(context -> {
      assertThat(context).hasNotFailed();
      assertThat(context.getBean(AssignrResilience.class).gatePolicy().interactiveShare()).isEqualTo(0.4);
    });
    runner.run(context -> assertThat(context.getBean(AssignrResilience.class).gatePolicy().interactiveShare())
        .isEqualTo(0.25));
  }

  @Test
  void an_interactive_share_above_one_half_stops_startup_naming_the_property() {
    runner.withPropertyValues("assignr.resilience.gate.interactive-share=0.6").run(context -> {
      assertThat(context).hasFailed();
      BindValidationException validation = PropertyErrorsTest.find(context.getStartupFailure(),
          BindValidationException.class);
      assertThat(validation).isNotNull();
      assertThat(validation.getValidationErrors().getAllErrors()).singleElement()
          .satisfies(e -> {
            assertThat(((FieldError) e).getField()).isEqualTo("gate.interactive-share");
            assertThat(((FieldError) e).getRejectedValue()).isEqualTo(0.6);
            assertThat(e.getDefaultMessage()).contains("0.6");
          });
    });
  }
}
