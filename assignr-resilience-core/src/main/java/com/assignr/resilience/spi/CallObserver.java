package com.assignr.resilience.spi;

import com.assignr.resilience.RequestInfo;
import com.assignr.resilience.TimeSource;

/**
 * Sees every call the executor runs, attempt by attempt, for tracing (set with {@code
 * AssignrResilience.Builder.observer}; the OpenTelemetry and Micrometer Observation integrations
 * implement it). Unlike a {@link com.assignr.resilience.RetryListener}, which hears events of all
 * calls together, an observer hands each call its own {@link CallObservation}, so that what one call
 * waited for and why it ended can be told apart from the next call's, on any thread.
 *
 * <p>{@link #NONE} (the default) costs nothing: the executor then makes no observation object.
 */
@FunctionalInterface
public interface CallObserver {

  /** Observes nothing: every call gets {@link CallObservation#NONE}. */
  CallObserver NONE = (request, time) -> CallObservation.NONE;

  /**
   * A call starts (its request passed the HTTPS check; nothing is sent yet). Called on the
   * caller's thread, so an implementation may read the caller's current trace context here.
   *
   * @param request what is sent: method, scheme, host and path, never the query or a header
   * @param time the configuration's time source: observations time their spans and events by it,
   *     so that waits show their real length under a virtual clock too
   * @return the call's observation, or {@link CallObservation#NONE}
   */
  CallObservation start(RequestInfo request, TimeSource time);
}
