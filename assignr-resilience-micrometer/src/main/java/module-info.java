/**
 * Micrometer meters for the library's events and gauges for each rate-limit gate ({@link
 * com.assignr.resilience.micrometer.AssignrMetrics}), and observations of each call, attempt and
 * wait for tracing ({@link com.assignr.resilience.micrometer.AssignrObservations}).
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module com.assignr.resilience.micrometer {
  // AssignrMetrics is a RetryListener and takes a MeterRegistry: both are API.
  requires transitive com.assignr.resilience;
  requires transitive micrometer.core;
  // AssignrObservations takes an ObservationRegistry.
  requires transitive micrometer.observation;
  requires micrometer.commons;

  exports com.assignr.resilience.micrometer;
}
