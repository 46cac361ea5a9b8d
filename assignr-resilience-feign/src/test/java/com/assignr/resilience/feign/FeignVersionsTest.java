package com.assignr.resilience.feign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import okhttp3.OkHttp;
import org.junit.jupiter.api.Test;

/** Proves which Feign and OkHttp this run is on: the build runs feign-okhttp on OkHttp 5 and 4.12. */
class FeignVersionsTest {
  @Test
  void theIntendedOkHttpIsOnTheClasspath() {
    String expected = System.getProperty("okhttp.expected.version");
    assertNotNull(expected, "run through Maven: each surefire execution sets okhttp.expected.version");
    assertEquals(expected, Transport.okHttpVersion());
    String jar = OkHttp.class.getProtectionDomain().getCodeSource().getLocation().getPath();
    assertTrue(jar.endsWith((expected.startsWith("4.") ? "okhttp-" : "okhttp-jvm-") + expected + ".jar"), jar);
  }

  @Test
  void theIntendedFeignIsOnTheClasspath() throws IOException {
    String expected = System.getProperty("feign.expected.version");
    assertNotNull(expected, "run through Maven: surefire sets feign.expected.version");
    for (String artifact : new String[] {"feign-core", "feign-okhttp", "feign-java11"}) {
      Properties pom = new Properties();
      try (InputStream in = feign.Feign.class.getClassLoader()
          .getResourceAsStream("META-INF/maven/io.github.openfeign/" + artifact + "/pom.properties")) {
        assertNotNull(in, artifact);
        pom.load(in);
      }
      assertEquals(expected, pom.getProperty("version"), artifact);
    }
  }
}
