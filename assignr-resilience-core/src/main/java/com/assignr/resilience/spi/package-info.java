/**
 * The service-provider interface: what authors of adapters (for another HTTP client) and of gate
 * stores (to share a quota across JVMs) implement or call. Users of the library's own adapters
 * need none of it.
 *
 * <ul>
 *   <li>Adapters run each call through {@link com.assignr.resilience.spi.RetryExecutor} (from
 *       {@code AssignrResilience.executor()}), describing their client's response type with a
 *       {@link com.assignr.resilience.spi.ResponseAdapter} and its headers with a {@link
 *       com.assignr.resilience.spi.HeaderLookup}; each attempt is given an {@link
 *       com.assignr.resilience.spi.AttemptContext} (a {@link
 *       com.assignr.resilience.spi.HeaderTimeContext} for clients that settle at header time), and
 *       the caller's deadline, cancellation and credentials travel in {@link
 *       com.assignr.resilience.spi.CallOptions}.
 *   <li>Stores create one {@link com.assignr.resilience.spi.RateLimitGate} per quota ({@link
 *       com.assignr.resilience.spi.GateStore}); a gate answers each request for admission with a
 *       {@link com.assignr.resilience.spi.Permit}, answered exactly once, or an {@link
 *       com.assignr.resilience.spi.Admission.Wait}. The testkit's {@code GateContract} is the
 *       specification every store must pass.
 * </ul>
 */
package com.assignr.resilience.spi;
