package com.assignr.resilience.jdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.assignr.resilience.AssignrResilience;
import java.net.http.HttpClient;
import org.junit.jupiter.api.Test;

class WrapOptionsTest {
  @Test
  void defaultsCopyUpToOneMebibyteAndTheWrapperSaysWhichItHas() {
    assertEquals(1 << 20, WrapOptions.defaults().replayCopyLimit());
    HttpClient jdk = HttpClient.newHttpClient();
    assertEquals(WrapOptions.defaults(), AssignrHttpClient.wrap(jdk, AssignrResilience.defaults()).options());
    WrapOptions none = WrapOptions.defaults().toBuilder().replayCopyLimit(0).build();
    assertEquals(0, AssignrHttpClient.wrap(jdk, AssignrResilience.defaults(), none).options().replayCopyLimit());
  }

  @Test
  void anOutOfRangeLimitIsRefusedAtBuildWithItsValue() {
    com.assignr.resilience.InvalidSettingsException e = assertThrows(com.assignr.resilience.InvalidSettingsException.class,
        () -> WrapOptions.builder().replayCopyLimit(-1).build());
    assertEquals("replayCopyLimit", e.problems().get(0).setting());
    assertEquals("Invalid WrapOptions: replayCopyLimit must be between 0 and 2147483639 bytes but was -1",
        e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> WrapOptions.builder().replayCopyLimit(WrapOptions.MAX_REPLAY_COPY_LIMIT + 1).build());
  }
}
