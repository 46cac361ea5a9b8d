package com.assignr.resilience.micrometer;

import com.assignr.resilience.RequestInfo;
import com.assignr.resilience.TimeSource;
import com.assignr.resilience.spi.CallObservation;
import com.assignr.resilience.spi.CallObserver;
import io.micrometer.observation.ObservationRegistry;
import java.util.Objects;

/**
 * Micrometer Observation for every call the library runs: what Spring's own clients report
 * through, bridged to OpenTelemetry or Brave by Micrometer Tracing (and to timers by a meter
 * handler).
 *
 * <pre>{@code
 * AssignrResilience resilience = AssignrResilience.builder()
 *     .observer(AssignrObservations.create(observationRegistry))
 *     .build();
 * }</pre>
 *
 * <p>Each call is an observation {@value #CALL} (contextual name {@code assignr GET}; a tracer
 * makes it an INTERNAL span, child of the observation current when the call starts), with:
 *
 * <ul>
 *   <li>one {@value #ATTEMPT} observation per attempt sent, a sender context (so a tracer makes it
 *       a CLIENT span and writes its propagation headers, which the adapter sends with that attempt
 *       only), lasting the attempt, with {@code http.request.resend_count} = 1, 2, … on later ones;
 *   <li>one {@value #WAIT} observation per wait, lasting the wait (contextual names {@code assignr
 *       backoff}, {@code assignr gate wait}), and an event {@code assignr.token} when the call
 *       waited for an access token.
 * </ul>
 *
 * <p><b>Under Spring's {@code RestClient}</b> (its {@code http.client.requests} observation starts
 * before the interceptor chain and ends after it): that observation is the application's view of
 * the exchange, one per {@code RestClient} call, lasting everything the caller waited for; the
 * library's {@value #CALL} opens inside it, and each attempt's {@value #ATTEMPT} inside that. The
 * wire carries each attempt's own {@code traceparent} (the adapter sets it over the one Spring wrote
 * before the chain), so the server's spans join the attempt that reached them, and a 40-second gate
 * wait reads as a 40-second {@value #WAIT}, not as a slow HTTP request.
 *
 * <p>Key values are bounded (method, host, status, outcome) and never hold a header, query, path or
 * credential. Meter handlers see {@value #CALL}, {@value #ATTEMPT} and {@value #WAIT} timers.
 */
public final class AssignrObservations implements CallObserver {
  /** The name of a call's observation. */
  public static final String CALL = "assignr.call";
  /** The name of an attempt's observation. */
  public static final String ATTEMPT = "assignr.attempt";
  /** The name of a wait's observation. */
  public static final String WAIT = "assignr.wait";

  final ObservationRegistry registry;

  private AssignrObservations(ObservationRegistry registry) {
    this.registry = registry;
  }

  /**
   * Observations of every call, reported to {@code registry}.
   *
   * @param registry where observations go (its handlers: tracing, meters)
   * @return the observer to give {@code AssignrResilience.Builder.observer}
   * @throws NullPointerException when {@code registry} is null
   */
  public static AssignrObservations create(ObservationRegistry registry) {
    return new AssignrObservations(Objects.requireNonNull(registry, "registry"));
  }

  @Override
  public CallObservation start(RequestInfo request, TimeSource time) {
    if (registry.isNoop()) return CallObservation.NONE;
    return new ObservedCall(registry, request);
  }

  @Override
  public String toString() {
    return "AssignrObservations";
  }
}
