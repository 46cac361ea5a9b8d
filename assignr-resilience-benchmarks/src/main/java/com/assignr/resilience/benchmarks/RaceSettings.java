package com.assignr.resilience.benchmarks;

import com.assignr.resilience.AssignrResilience;
import com.assignr.resilience.GatePolicy;
import com.assignr.resilience.RetryPolicy;
import com.assignr.resilience.testkit.RateLimitRule;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * One race's workload and windows, and the settings of the tuned "ours-gate" strategy.
 *
 * @param requests GETs per strategy
 * @param threads threads per strategy, each sending one request at a time
 * @param rules the simulator's windows, aligned to the epoch like Assignr's; the race starts at
 *     the beginning of the longest one
 * @param timeLimit no new request is started after this, and retries stop (the race must end)
 * @param backoffMax the cap of the peers' exponential backoff
 * @param outDir where goodput.csv and goodput.png go
 * @param reserve ours-gate's {@code rateLimitReserve}
 * @param margin ours-gate's {@code rateLimitMargin}
 * @param jitter ours-gate's {@code rateLimitJitter}
 * @param releaseSpacing ours-gate's {@code gateReleaseSpacing}
 */
record RaceSettings(
    int requests,
    int threads,
    List<RateLimitRule> rules,
    Duration timeLimit,
    Duration backoffMax,
    Path outDir,
    int reserve,
    Duration margin,
    Duration jitter,
    Duration releaseSpacing) {

  RaceSettings {
    rules = List.copyOf(rules);
  }

  /** The ours-gate configuration: defaults except the four race settings. */
  AssignrResilience.Builder tunedResilience() {
    return AssignrResilience.builder()
        .gate(GatePolicy.defaults().toBuilder().reserve(reserve).releaseSpacing(releaseSpacing).build())
        .policy(RetryPolicy.defaults().toBuilder().rateLimitMargin(margin).rateLimitJitter(jitter).build());
  }

  /** The longest window, in milliseconds: the race starts at one of its boundaries. */
  long longestPeriodMillis() {
    return rules.stream().mapToLong(r -> r.period().toMillis()).max().orElse(1000);
  }
}
