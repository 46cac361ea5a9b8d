package com.assignr.resilience.benchmarks;

/** What the JVMs of the fleet race share, if anything. */
enum FleetStrategy {
  /** Each JVM its own in-process gate (the default store). */
  LOCAL_GATES("local-gates"),
  /** One gate for the fleet in Redis ({@code RedisGateStore}, defaults). */
  REDIS_GATE("redis-gate"),
  /**
   * The peer a user would pick instead: bucket4j's Redis-backed limiter (bucket4j-lettuce), one
   * bandwidth per documented rule, refilled at the windows' aligned boundaries; our engine retries
   * whatever 429s still come (its gate off).
   */
  BUCKET4J("bucket4j-redis");

  final String label;

  FleetStrategy(String label) {
    this.label = label;
  }
}
