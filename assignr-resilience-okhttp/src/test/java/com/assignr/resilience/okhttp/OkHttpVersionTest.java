package com.assignr.resilience.okhttp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import okhttp3.Call;
import okhttp3.OkHttp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Proves which OkHttp this run of the suite is on: the build runs it on 5.x and on 4.12. */
@Timeout(10)
class OkHttpVersionTest {
  /** Set by each surefire execution in the module's pom. */
  static final String EXPECTED = System.getProperty("okhttp.expected.version");

  /** {@code OkHttp.VERSION} is a compile-time constant (5.x here), so it is read reflectively. */
  static String runtimeVersion() throws ReflectiveOperationException {
    return (String) OkHttp.class.getField("VERSION").get(null);
  }

  static boolean onOkHttp4() throws ReflectiveOperationException {
    return runtimeVersion().startsWith("4.");
  }

  @Test
  void theIntendedOkHttpIsOnTheClasspath() throws Exception {
    assertNotNull(EXPECTED, "run through Maven: each surefire execution sets okhttp.expected.version");
    assertEquals(EXPECTED, runtimeVersion());
    String jar = OkHttp.class.getProtectionDomain().getCodeSource().getLocation().getPath();
    assertTrue(jar.endsWith((EXPECTED.startsWith("4.") ? "okhttp-" : "okhttp-jvm-") + EXPECTED + ".jar"), jar);
  }

  @Test
  void callTagsExistOnlyInOkHttp5() throws Exception {
    boolean hasTags = Arrays.stream(Call.class.getMethods()).anyMatch(m -> m.getName().equals("tag"));
    assertEquals(!onOkHttp4(), hasTags);
  }
}
