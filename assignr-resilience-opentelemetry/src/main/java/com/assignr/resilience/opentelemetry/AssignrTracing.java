package com.assignr.resilience.opentelemetry;

import com.assignr.resilience.RequestInfo;
import com.assignr.resilience.TimeSource;
import com.assignr.resilience.spi.CallObservation;
import com.assignr.resilience.spi.CallObserver;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.util.Objects;

/**
 * OpenTelemetry tracing for every call the library runs, per the HTTP semantic conventions:
 *
 * <pre>{@code
 * AssignrResilience resilience = AssignrResilience.builder()
 *     .observer(AssignrTracing.create(openTelemetry))
 *     .build();
 * }</pre>
 *
 * <p>In a trace, a call is:
 *
 * <ul>
 *   <li>one INTERNAL span {@code assignr GET} for the logical call, from its start to its end
 *       (the caller's current span is its parent), with {@code assignr.attempts} and, when it gave
 *       up, status ERROR, {@code assignr.give_up.reason} and {@code error.type};
 *   <li>under it, one CLIENT span {@code GET} per attempt that went over the wire, lasting only
 *       the attempt (from its admission to its response's headers or failure), with {@code
 *       http.request.resend_count} = 1, 2, … on the second and later attempts, {@code
 *       http.response.status_code} and {@code error.type}, and its own {@code traceparent} sent
 *       with it;
 *   <li>beside them, one INTERNAL span per wait, lasting the wait: {@code assignr backoff} (after
 *       which attempt and status, for how long, whether the server directed it), {@code assignr
 *       gate wait} (which quota, which window, until when) and {@code assignr token} (a wait for an
 *       access token being refreshed).
 * </ul>
 *
 * <p><b>With the HTTP client's own instrumentation</b> (opentelemetry-okhttp-3.0, Spring's
 * observations bridged to OpenTelemetry, …) that instrumentation already makes one CLIENT span per
 * request and propagates it. Say so with {@link Builder#clientInstrumented}: the library then makes
 * no CLIENT span of its own (never two for one attempt), and makes its call span, with
 * OpenTelemetry's shared resend counter ({@code HttpClientRequestResendCount}, when
 * opentelemetry-instrumentation-api is present, as it is wherever such an instrumentation runs),
 * the current context each attempt is sent in: the instrumentation's spans become children of the
 * call span and carry {@code http.request.resend_count} 1, 2, … on later attempts, also through
 * {@code AssignrCallFactory}, where each attempt is a new OkHttp call.
 *
 * <p>No attribute, event or span name holds a header, a query string or a path: nothing that can
 * carry a credential or an id. Names and attributes are bounded: method, host, scheme, status,
 * and the quota key (never a credential, see {@link com.assignr.resilience.QuotaKey}). Every
 * timestamp is read from the configuration's {@link TimeSource}, so waits show their length under a
 * virtual clock too.
 */
public final class AssignrTracing implements CallObserver {
  /** The instrumentation scope name of the library's tracer. */
  public static final String INSTRUMENTATION_NAME = "com.assignr.resilience";

  final Tracer tracer;
  final TextMapPropagator propagator;
  final boolean clientInstrumented;

  private AssignrTracing(Builder b) {
    this.tracer = b.openTelemetry.getTracer(INSTRUMENTATION_NAME);
    this.propagator = b.openTelemetry.getPropagators().getTextMapPropagator();
    this.clientInstrumented = b.clientInstrumented;
  }

  /**
   * Tracing through {@code openTelemetry}, the library making the CLIENT spans.
   *
   * @param openTelemetry the tracer provider and propagators to use
   * @return the observer to give {@code AssignrResilience.Builder.observer}
   */
  public static AssignrTracing create(OpenTelemetry openTelemetry) {
    return builder(openTelemetry).build();
  }

  /**
   * A builder for tracing through {@code openTelemetry}.
   *
   * @param openTelemetry the tracer provider and propagators to use
   * @return a builder
   * @throws NullPointerException when {@code openTelemetry} is null
   */
  public static Builder builder(OpenTelemetry openTelemetry) {
    return new Builder(Objects.requireNonNull(openTelemetry, "openTelemetry"));
  }

  @Override
  public CallObservation start(RequestInfo request, TimeSource time) {
    return new TracedCall(this, request, time);
  }

  @Override
  public String toString() {
    return "AssignrTracing[clientInstrumented=" + clientInstrumented + "]";
  }

  /** Settings of {@link AssignrTracing}. */
  public static final class Builder {
    private final OpenTelemetry openTelemetry;
    private boolean clientInstrumented;

    private Builder(OpenTelemetry openTelemetry) {
      this.openTelemetry = openTelemetry;
    }

    /**
     * Whether the HTTP client runs OpenTelemetry's own instrumentation, which makes the CLIENT
     * span of each attempt and propagates it (see the class comment). Default: false, the library
     * makes them.
     *
     * @param clientInstrumented true when the client is instrumented
     * @return this
     */
    public Builder clientInstrumented(boolean clientInstrumented) {
      this.clientInstrumented = clientInstrumented;
      return this;
    }

    /**
     * The observer.
     *
     * @return a new {@link AssignrTracing}
     */
    public AssignrTracing build() {
      return new AssignrTracing(this);
    }
  }
}
