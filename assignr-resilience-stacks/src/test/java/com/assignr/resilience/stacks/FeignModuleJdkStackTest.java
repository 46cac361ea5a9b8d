package com.assignr.resilience.stacks;

import com.assignr.resilience.AssignrResilience;
import com.assignr.resilience.feign.AssignrFeign;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;

/**
 * {@link FeignModuleStackTest} over feign-java11: Feign's default {@code Options} too, which
 * without the capability made feign-java11 send through a plain client of its own ({@link
 * FeignJdkStackTest}'s trap row).
 */
@Timeout(60)
class FeignModuleJdkStackTest {
  static final Rig RIG = new Rig("feign-module-java11");
  static final String FEIGN_JAVA11 = "Feign + assignr-resilience-feign, AssignrFeign.java11, "
      + "Feign's default Retryer and Options";

  @AfterAll
  static void writeMatrix() {
    RIG.close();
  }

  static StackClient overJava11(AssignrResilience r) {
    HttpClient jdk = HttpClient.newBuilder().sslContext(RIG.sim.sslContext())
        .connectTimeout(Duration.ofSeconds(10)).build();
    return FeignModuleStackTest.feign(RIG, c -> AssignrFeign.java11(jdk, c), r, null);
  }

  @TestFactory
  Stream<DynamicTest> withExceptions() {
    return RIG.matrix(FEIGN_JAVA11 + ", throwOnFailure", true, FeignModuleJdkStackTest::overJava11);
  }

  @TestFactory
  Stream<DynamicTest> withResponses() {
    return RIG.matrix(FEIGN_JAVA11 + ", responses (default)", false, FeignModuleJdkStackTest::overJava11);
  }
}
