package app;

import com.assignr.resilience.AssignrResilience;
import com.assignr.resilience.RetryPolicy;
import java.time.Duration;

/** The library as an application configures it, with a 1 ms backoff so the 503 costs no time. */
final class Settings {
  private Settings() {}

  static AssignrResilience resilience() {
    return AssignrResilience.builder()
        .policy(RetryPolicy.defaults().toBuilder()
            .initialBackoff(Duration.ofMillis(1))
            .maxBackoff(Duration.ofMillis(1))
            .build())
        .allowInsecureLoopback(true)   // the server is plain HTTP on 127.0.0.1
        .build();                      // the default listener logs the retry through SLF4J
  }
}
