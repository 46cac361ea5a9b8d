package com.assignr.resilience;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Setters only store; {@code build()} names every bad setting, a null given to a setter included,
 * as an {@link InvalidSettingsException} (whose problems the starter maps back to properties).
 */
class BuilderNullsTest {

  @Test
  void nullsGivenToSettersAreReportedByBuild_allAtOnce_notThrownBySetters() {
    AssignrResilience.Builder b = assertDoesNotThrow(() -> AssignrResilience.builder()
        .quotaKey(null).listener(null).addListener(null).policy(null).timeSource(null));
    InvalidSettingsException e = assertThrows(InvalidSettingsException.class, b::build);
    assertEquals("AssignrResilience", e.subject());
    assertEquals(List.of("policy", "quotaKey", "listener", "timeSource"),
        e.problems().stream().map(InvalidSettingsException.Problem::setting).toList(), e.getMessage());
    assertEquals("quotaKey must not be null (leave it unset for the default) but was null",
        e.problems().get(1).toString());
  }

  @Test
  void aNullListenerAddedToTheDefaultOnesIsReported() {
    InvalidSettingsException e = assertThrows(InvalidSettingsException.class,
        () -> AssignrResilience.builder().addListener(null).build());
    assertEquals("Invalid AssignrResilience: listener must not be null (RetryListener.NONE for silence) but was null",
        e.getMessage());
  }

  @Test
  void aNullQuotaKeyCanBeReplacedBeforeBuild() {
    QuotaKey fixed = QuotaKey.fixed("assignr:club-42");
    assertEquals(fixed, AssignrResilience.builder().quotaKey(null).quotaKey(fixed).build().quotaKey());
  }

  @Test
  void aBlankOrNullFixedQuotaNameIsAnInvalidSetting() {
    InvalidSettingsException blank = assertThrows(InvalidSettingsException.class, () -> QuotaKey.fixed(" "));
    assertEquals("Invalid QuotaKey.fixed: name must not be blank but was \" \"", blank.getMessage());
    InvalidSettingsException none = assertThrows(InvalidSettingsException.class, () -> QuotaKey.fixed(null));
    assertEquals(List.of(new InvalidSettingsException.Problem("name", "must not be blank", "null")), none.problems());
  }
}
