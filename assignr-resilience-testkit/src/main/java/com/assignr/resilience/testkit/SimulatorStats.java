package com.assignr.resilience.testkit;

/**
 * Counters since the simulator started or was last {@linkplain AssignrSimulator#reset() reset}.
 * Unlike the {@link RequestJournal} they are never truncated, so benchmarks can rely on them.
 *
 * @param totalRequests every API request (under {@code /api/v2}) the simulator handled, faults
 *     included
 * @param rateLimited 429 responses served (by the rate limiter or by a script)
 * @param serverErrors 5xx responses served (503 included)
 * @param connectionFaults answers broken by an injected fault: a {@code Fault} before or after
 *     processing, or a truncated body
 * @param admitted requests counted against the rate-limit quota
 * @param tokenRequests requests to the OAuth token endpoint, whatever their answer
 * @param tokensIssued access tokens the token endpoint issued and sent
 */
public record SimulatorStats(
    long totalRequests,
    long rateLimited,
    long serverErrors,
    long connectionFaults,
    long admitted,
    long tokenRequests,
    long tokensIssued) {}
