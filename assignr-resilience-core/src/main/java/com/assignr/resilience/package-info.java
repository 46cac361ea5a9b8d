/**
 * Assignr-correct retries, rate limiting and error handling for any Java HTTP client: the
 * vocabulary users touch.
 *
 * <p>Start with {@link com.assignr.resilience.AssignrResilience}: one per application, from which
 * the adapters ({@code com.assignr.resilience.okhttp}, {@code com.assignr.resilience.jdk}, …) are
 * derived. Here are its settings ({@link com.assignr.resilience.RetryPolicy}, {@link
 * com.assignr.resilience.GatePolicy}, {@link com.assignr.resilience.QuotaKey}, {@link
 * com.assignr.resilience.TimeSource}), what listeners hear ({@link
 * com.assignr.resilience.RetryListener}, {@link com.assignr.resilience.Outcome}, {@link
 * com.assignr.resilience.Decision}), the typed exceptions and what they carry ({@link
 * com.assignr.resilience.AssignrException}, {@link com.assignr.resilience.RateLimitInfo}), and
 * read-only views of the rate-limit gates ({@link com.assignr.resilience.GateState}).
 *
 * <p>What adapter and store authors implement or call lives in {@link com.assignr.resilience.spi}.
 * The machinery (the pure retry engine, the executor's loops, the in-process gate) is
 * package-private: nothing here lets a caller change a gate's counts or ask the engine directly.
 */
package com.assignr.resilience;
