package com.assignr.resilience.feign;

import com.assignr.resilience.AssignrResilience;
import java.util.Arrays;
import java.util.stream.Stream;

/**
 * The two transports the capability builds. The okhttp4-test run (OkHttp 4.12 in place of 5)
 * sets {@code transports=okhttp}: feign-java11 has nothing to do with OkHttp's version.
 */
enum Transport {
  OKHTTP, JAVA11;

  AssignrCapability capability(FeignRig rig, AssignrResilience resilience) {
    return this == OKHTTP ? AssignrFeign.okHttp(rig.okHttp(), resilience)
        : AssignrFeign.java11(rig.jdk(), resilience);
  }

  /** The OkHttp on the class path ({@code OkHttp.VERSION} is a compile-time constant: read reflectively). */
  static String okHttpVersion() {
    try {
      return (String) okhttp3.OkHttp.class.getField("VERSION").get(null);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  /** The transports this run tests. */
  static Stream<Transport> inThisRun() {
    String only = System.getProperty("transports", "");
    return Arrays.stream(values()).filter(t -> only.isEmpty() || only.equalsIgnoreCase(t.name()));
  }

  @Override
  public String toString() {
    return this == OKHTTP ? "feign-okhttp on OkHttp " + okHttpVersion() : "feign-java11";
  }
}
