/**
 * Micrometer meters for assignr-resilience: {@link com.assignr.resilience.micrometer.AssignrMetrics}
 * is a listener that counts calls, retries, 429s and give-ups and times the waits, and a binder
 * that adds gauges for each rate-limit gate (closed, time until it opens, quota left and limit of
 * the binding window, the store's mode). It depends on micrometer-core only.
 */
package com.assignr.resilience.micrometer;
