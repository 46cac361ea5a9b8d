package com.assignr.resilience;

/**
 * The context of a blocking call's first attempt while nothing but success has happened: the
 * common case (the gate admits at once, no breaker, a 2xx answer) needs no {@link CallState}.
 * Anything else (a failure, a header-time settlement) promotes it to one, which takes over with
 * attempt 1 admitted.
 */
final class FirstAttempt<R> implements AttemptContext {
  private final Settlement settlement;
  private final RequestInfo request;
  private final CallOptions options;
  private final ResponseAdapter<R> adapter;
  private final RateLimitGate gate;
  private final long start;
  private final long budget;
  private final String authorization;
  private CallState<R> promoted;

  FirstAttempt(Settlement settlement, RequestInfo request, CallOptions options, ResponseAdapter<R> adapter,
      RateLimitGate gate, long start, long budget, String authorization) {
    this.settlement = settlement;
    this.request = request;
    this.options = options;
    this.adapter = adapter;
    this.gate = gate;
    this.start = start;
    this.budget = budget;
    this.authorization = authorization;
  }

  @Override
  public String authorization() {
    return authorization;
  }

  @Override
  public int number() {
    return 1;
  }

  @Override
  public long nanosLeft() {
    return budget == Long.MAX_VALUE ? Long.MAX_VALUE : start + budget - settlement.time.nanoTime();
  }

  @Override
  public boolean settleOnHeaders(int status, HeaderLookup headers) {
    return promote().settleOnHeaders(status, headers);
  }

  /** Whether the attempt was settled when its headers arrived (then the call has a state). */
  boolean promoted() {
    return promoted != null;
  }

  /** The call's state from here on, attempt 1 admitted by the gate (if any) at the start. */
  CallState<R> promote() {
    if (promoted == null) {
      CallState<R> call = new CallState<>(settlement, request, options, adapter, gate, start);
      call.attempt = 1;
      call.attemptStart = start;
      call.admitted = gate != null;
      call.addedAuthorization = authorization;
      promoted = call;
    }
    return promoted;
  }
}
