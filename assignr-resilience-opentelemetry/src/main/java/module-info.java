/**
 * Traces that show every attempt of a call made through assignr-resilience: OpenTelemetry's HTTP
 * semantic conventions (one CLIENT span per attempt, {@code http.request.resend_count}), the call's
 * waits and its give-up on an INTERNAL span. Start with {@link
 * com.assignr.resilience.opentelemetry.AssignrTracing}.
 */
// "requires-*automatic": the OpenTelemetry jars are automatic modules with stable Automatic-Module-Names.
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module com.assignr.resilience.opentelemetry {
  // AssignrTracing is a CallObserver, and it is built from an OpenTelemetry.
  requires transitive com.assignr.resilience;
  requires transitive io.opentelemetry.api;
  requires io.opentelemetry.context;
  // Optional: read only when the client runs OpenTelemetry's own HTTP instrumentation.
  requires static io.opentelemetry.instrumentation_api;

  exports com.assignr.resilience.opentelemetry;
}
