/**
 * An Assignr API v2 simulator on WireMock, for tests, demos and benchmarks of Assignr clients.
 *
 * <p>Start with {@link com.assignr.resilience.testkit.AssignrSimulator#builder()} or, in JUnit 5,
 * {@link com.assignr.resilience.testkit.AssignrSimulatorExtension}. Script failures with
 * {@link com.assignr.resilience.testkit.FaultScript}; assert on
 * {@link com.assignr.resilience.testkit.RequestJournal}. Everything under {@code .internal} is
 * implementation.
 */
package com.assignr.resilience.testkit;
