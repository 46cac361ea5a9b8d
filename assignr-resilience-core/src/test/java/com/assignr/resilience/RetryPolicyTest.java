package com.assignr.resilience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RetryPolicyTest {
  static Stream<Arguments> invalidSettings() {
    return Stream.of(
        Arguments.of((UnaryOperator<RetryPolicy.Builder>) b -> b.maxAttempts(0), "maxAttempts must be between 1 and 100 but was 0"),
        Arguments.of((UnaryOperator<RetryPolicy.Builder>) b -> b.initialBackoff(Duration.ofMillis(-5)), "initialBackoff must be positive but was PT-0.005S"),
        Arguments.of((UnaryOperator<RetryPolicy.Builder>) b -> b.maxBackoff(null), "maxBackoff must be positive but was null"),
        Arguments.of((UnaryOperator<RetryPolicy.Builder>) b -> b.initialBackoff(Duration.ofSeconds(10)).maxBackoff(Duration.ofSeconds(5)),
            "maxBackoff must not be shorter than initialBackoff (PT10S) but was PT5S"),
        Arguments.of((UnaryOperator<RetryPolicy.Builder>) b -> b.backoffMultiplier(0.5), "backoffMultiplier must be between 1 and 100 but was 0.5"),
        Arguments.of((UnaryOperator<RetryPolicy.Builder>) b -> b.backoffJitter(1.5), "backoffJitter must be between 0 and 1 but was 1.5"),
        Arguments.of((UnaryOperator<RetryPolicy.Builder>) b -> b.rateLimitMargin(Duration.ofSeconds(-1)), "rateLimitMargin must not be negative but was PT-1S"),
        Arguments.of((UnaryOperator<RetryPolicy.Builder>) b -> b.rateLimitJitter(Duration.ofMillis(-1)), "rateLimitJitter must not be negative but was PT-0.001S"),
        Arguments.of((UnaryOperator<RetryPolicy.Builder>) b -> b.maxServerWait(Duration.ZERO), "maxServerWait must be positive but was PT0S"),
        Arguments.of((UnaryOperator<RetryPolicy.Builder>) b -> b.totalTimeout(Duration.ofSeconds(-3)), "totalTimeout must be positive but was PT-3S"),
        Arguments.of((UnaryOperator<RetryPolicy.Builder>) b -> b.idempotentMethods(Set.of("get")), "idempotentMethods must hold upper-case method names but was get"),
        Arguments.of((UnaryOperator<RetryPolicy.Builder>) b -> b.retryRule(999, RetryRule.ALWAYS), "retryRule status must be an HTTP status (100-599) but was 999"),
        Arguments.of((UnaryOperator<RetryPolicy.Builder>) b -> b.retryRule(Classification.CANCELLED, RetryRule.ALWAYS),
            "retryRule for CANCELLED must be NEVER: a cancelled call is never retried but was ALWAYS"),
        // Absurd values: refused at build(), not left to overflow later (292 years of nanoseconds).
        Arguments.of((UnaryOperator<RetryPolicy.Builder>) b -> b.maxAttempts(5_000_000), "maxAttempts must be between 1 and 100 but was 5000000"),
        Arguments.of((UnaryOperator<RetryPolicy.Builder>) b -> b.maxServerWait(Duration.ofDays(365 * 300)), "maxServerWait must be at most PT24H but was PT2628000H"),
        Arguments.of((UnaryOperator<RetryPolicy.Builder>) b -> b.totalTimeout(Duration.ofDays(365 * 300)), "totalTimeout must be at most PT24H but was PT2628000H"),
        Arguments.of((UnaryOperator<RetryPolicy.Builder>) b -> b.rateLimitMargin(Duration.ofDays(365 * 300)), "rateLimitMargin must be at most PT1M but was PT2628000H"),
        Arguments.of((UnaryOperator<RetryPolicy.Builder>) b -> b.rateLimitJitter(Duration.ofDays(2)), "rateLimitJitter must be at most PT1H but was PT48H"),
        Arguments.of((UnaryOperator<RetryPolicy.Builder>) b -> b.maxBackoff(Duration.ofDays(2)), "maxBackoff must be at most PT1H but was PT48H"));
  }

  /**
   * Before: a 300-year maxServerWait passed RetryPolicy.build() and AssignrResilience.build() then
   * threw a raw ArithmeticException (long overflow).
   */
  @Test
  void durationsThatWouldOverflowNanosecondsAreRefusedByName() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AssignrResilience.builder()
        .policy(RetryPolicy.builder().maxServerWait(Duration.ofDays(365L * 300)).build()).build());
    assertTrue(e.getMessage().startsWith("Invalid RetryPolicy: maxServerWait must be at most"), e.getMessage());
  }

  static Stream<Arguments> invalidGateSettings() {
    return Stream.of(
        Arguments.of((UnaryOperator<GatePolicy.Builder>) b -> b.reserve(5000), "reserve must be between 0 and 179 (Assignr's smallest window allows 180) but was 5000"),
        Arguments.of((UnaryOperator<GatePolicy.Builder>) b -> b.coldStartConcurrency(0), "coldStartConcurrency must be between 1 and 1000 but was 0"),
        Arguments.of((UnaryOperator<GatePolicy.Builder>) b -> b.releaseSpacing(Duration.ofDays(1)), "releaseSpacing must be between PT0S and PT10S but was PT24H"),
        Arguments.of((UnaryOperator<GatePolicy.Builder>) b -> b.closureWithoutReset(Duration.ZERO), "closureWithoutReset must be positive but was PT0S"),
        Arguments.of((UnaryOperator<GatePolicy.Builder>) b -> b.closureWithoutReset(Duration.ofDays(1)), "closureWithoutReset must be at most PT1H but was PT24H"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("invalidGateSettings")
  void gateBuildNamesTheParameterAndTheValue(UnaryOperator<GatePolicy.Builder> setting, String message) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> setting.apply(GatePolicy.builder()).build());
    assertEquals("Invalid GatePolicy: " + message, e.getMessage());
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("invalidSettings")
  void buildNamesTheParameterAndTheValue(UnaryOperator<RetryPolicy.Builder> setting, String message) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> setting.apply(RetryPolicy.builder()).build());
    assertEquals("Invalid RetryPolicy: " + message, e.getMessage());
  }

  @Test
  void settersOnlyStoreSoCallOrderDoesNotMatterAndEveryProblemIsReported() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> RetryPolicy.builder().maxAttempts(-1).backoffJitter(-0.1).build());
    assertTrue(e.getMessage().contains("maxAttempts must be between 1 and 100 but was -1"), e.getMessage());
    assertTrue(e.getMessage().contains("backoffJitter must be between 0 and 1 but was -0.1"), e.getMessage());
  }

  @Test
  void everyProblemIsAlsoGivenAsData_forToolsThatMapSettingsBackToTheirOwnNames() {
    InvalidSettingsException e = assertThrows(InvalidSettingsException.class,
        () -> RetryPolicy.builder().maxAttempts(-1).backoffJitter(-0.1).build());
    assertEquals("RetryPolicy", e.subject());
    assertEquals(java.util.List.of(
        new InvalidSettingsException.Problem("maxAttempts", "must be between 1 and 100", "-1"),
        new InvalidSettingsException.Problem("backoffJitter", "must be between 0 and 1", "-0.1")), e.problems());
    assertEquals("Invalid RetryPolicy: " + e.problems().get(0) + "; " + e.problems().get(1), e.getMessage());

  }

  @Test
  void toBuilderDerivesWithoutChangingTheOriginal() {
    RetryPolicy base = RetryPolicy.defaults();
    RetryPolicy derived = base.toBuilder().maxAttempts(2).retryRule(502, RetryRule.ALWAYS).build();
    assertEquals(5, base.maxAttempts());
    assertEquals(2, derived.maxAttempts());
    assertEquals(RetryRule.IDEMPOTENT, base.ruleFor(502, Classification.SERVER_ERROR));
    assertEquals(RetryRule.ALWAYS, derived.ruleFor(502, Classification.SERVER_ERROR));
  }

  @Test
  void theAssignrDefaults() {
    RetryPolicy p = RetryPolicy.defaults();
    assertEquals(5, p.maxAttempts());
    assertEquals(Duration.ofMillis(500), p.initialBackoff());
    assertEquals(Duration.ofSeconds(30), p.maxBackoff());
    assertEquals(Duration.ofSeconds(1), p.rateLimitMargin());
    assertEquals(Duration.ofSeconds(65), p.maxServerWait());
    assertEquals(Set.of("GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE"), p.idempotentMethods());
  }

  @Test
  void resilienceBuilderValidatesToo() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> GatePolicy.builder().reserve(-1).releaseSpacing(Duration.ofMillis(-1)).build());
    assertEquals("Invalid GatePolicy: reserve must be between 0 and 179 (Assignr's smallest window allows 180)"
        + " but was -1; releaseSpacing must be between PT0S and PT10S but was PT-0.001S", e.getMessage());
  }
}
