/**
 * Micrometer meters for the library's events and gauges for each rate-limit gate. Start with
 * {@link com.assignr.resilience.micrometer.AssignrMetrics}.
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module com.assignr.resilience.micrometer {
  // AssignrMetrics is a RetryListener and takes a MeterRegistry: both are API.
  requires transitive com.assignr.resilience;
  requires transitive micrometer.core;

  exports com.assignr.resilience.micrometer;
}
