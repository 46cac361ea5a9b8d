package com.assignr.resilience.httpclient5;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.core5.util.VersionInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Proves which HttpClient 5 this run of the suite is on: the build runs it on 5.4 and on 5.6. */
@Timeout(10)
class HttpClient5VersionTest {
  /** Set by each surefire execution in the module's pom. */
  static final String EXPECTED = System.getProperty("httpclient5.expected.version");

  /** The release of the httpclient5 jar on the classpath, as HttpClient itself reports it. */
  static String runtimeVersion() {
    VersionInfo info = VersionInfo.loadVersionInfo("org.apache.hc.client5", HttpClientBuilder.class.getClassLoader());
    return info == null ? "unknown" : info.getRelease();
  }

  @Test
  void theIntendedHttpClientIsOnTheClasspath() {
    assertNotNull(EXPECTED, "run through Maven: each surefire execution sets httpclient5.expected.version");
    assertEquals(EXPECTED, runtimeVersion());
    String jar = HttpClientBuilder.class.getProtectionDomain().getCodeSource().getLocation().getPath();
    assertTrue(jar.endsWith("httpclient5-" + EXPECTED + ".jar"), jar);
  }
}
