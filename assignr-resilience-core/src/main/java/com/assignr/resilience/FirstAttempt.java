package com.assignr.resilience;

import com.assignr.resilience.internal.Deadline;
import com.assignr.resilience.spi.CallObservation;
import com.assignr.resilience.spi.CallOptions;
import com.assignr.resilience.spi.HeaderLookup;
import com.assignr.resilience.spi.HeaderTimeContext;
import com.assignr.resilience.spi.Permit;
import com.assignr.resilience.spi.RateLimitGate;
import com.assignr.resilience.spi.ResponseAdapter;

/**
 * The context of a blocking call's first attempt while nothing but success has happened: the
 * common case (the gate admits at once, no breaker, a 2xx answer) needs no {@link CallState}.
 * Anything else (a failure, a header-time settlement) promotes it to one, which takes over with
 * attempt 1 admitted.
 */
final class FirstAttempt<R> implements HeaderTimeContext {
  private final Settlement settlement;
  private final RequestInfo request;
  private final CallOptions options;
  private final ResponseAdapter<R> adapter;
  private final RateLimitGate gate;
  private final Permit permit;
  private final long start;
  private final long budget;
  private final String authorization;
  private final CallObservation observation;
  private CallState<R> promoted;

  FirstAttempt(Settlement settlement, RequestInfo request, CallOptions options, ResponseAdapter<R> adapter,
      RateLimitGate gate, Permit permit, long start, long budget, String authorization, CallObservation observation) {
    this.observation = observation;
    this.settlement = settlement;
    this.request = request;
    this.options = options;
    this.adapter = adapter;
    this.gate = gate;
    this.permit = permit;
    this.start = start;
    this.budget = budget;
    this.authorization = authorization;
  }

  @Override
  public String authorization() {
    return authorization;
  }

  @Override
  public java.util.Map<String, String> propagationHeaders() {
    return observation.propagationHeaders();
  }

  @Override
  public int number() {
    return 1;
  }

  @Override
  public long nanosLeft() {
    return Deadline.left(start, budget, settlement.time.nanoTime());
  }

  @Override
  public boolean settleOnHeaders(int status, HeaderLookup headers) {
    return promote().settleOnHeaders(status, headers);
  }

  /** Whether the attempt was settled when its headers arrived (then the call has a state). */
  boolean promoted() {
    return promoted != null;
  }

  /** The call's state from here on, attempt 1 admitted at the start (holding {@code permit}, if any). */
  CallState<R> promote() {
    if (promoted == null) {
      CallState<R> call = new CallState<>(settlement, request, options, adapter, gate, start, observation);
      call.attempt = 1;
      call.attemptStart = start;
      call.permit = permit;
      call.addedAuthorization = authorization;
      promoted = call;
    }
    return promoted;
  }
}
