/**
 * Assignr-correct retries, rate limiting and error handling for any Java HTTP client.
 *
 * <p>Start with {@link com.assignr.resilience.AssignrResilience}: one per application, from which
 * the adapters ({@code com.assignr.resilience.okhttp}, {@code com.assignr.resilience.jdk}) and the
 * generic {@link com.assignr.resilience.RetryExecutor} are derived. {@link
 * com.assignr.resilience.RetryEngine} is the pure decision function underneath; {@link
 * com.assignr.resilience.RateLimitGate} is the quota shared by every caller of one account.
 */
package com.assignr.resilience;
