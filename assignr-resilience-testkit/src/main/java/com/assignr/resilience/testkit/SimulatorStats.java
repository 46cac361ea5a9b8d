package com.assignr.resilience.testkit;

/**
 * Counters since the simulator started or was last {@linkplain AssignrSimulator#reset() reset}.
 * Unlike the {@link RequestJournal} they are never truncated, so benchmarks can rely on them.
 *
 * @param totalRequests every request the simulator handled, faults included
 * @param rateLimited 429 responses served (by the rate limiter or by a script)
 * @param serverErrors 5xx responses served (503 included)
 * @param connectionFaults connections broken by an injected {@code Fault}
 * @param admitted requests counted against the rate-limit quota
 */
public record SimulatorStats(
    long totalRequests, long rateLimited, long serverErrors, long connectionFaults, long admitted) {}
