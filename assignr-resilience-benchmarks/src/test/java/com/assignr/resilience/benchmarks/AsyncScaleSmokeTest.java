package com.assignr.resilience.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The async-scale probe in miniature (50 calls each), so it cannot rot. No number is asserted. */
@Timeout(60)
class AsyncScaleSmokeTest {
  @Test
  void probeRunsBothClients() throws Exception {
    AsyncScale.Report jdk = AsyncScale.jdk(50, Duration.ofMillis(100));
    AsyncScale.Report okhttp = AsyncScale.okhttp(50, Duration.ofMillis(100));

    assertEquals(50, jdk.calls());
    assertEquals(50, okhttp.calls());
    System.out.println(AsyncScale.table(List.of(jdk, okhttp)));
  }
}
