package com.assignr.resilience.httpclient5;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.springframework.core.SpringVersion;

/** Each surefire run of the Spring routes (Spring Framework 7, then 6.2) runs on the version it names. */
class SpringVersionTest {
  @Test
  void runsOnTheExpectedSpringFramework() {
    assertEquals(System.getProperty("spring.expected.version"), SpringVersion.getVersion());
  }
}
