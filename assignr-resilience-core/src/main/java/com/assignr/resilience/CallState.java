package com.assignr.resilience;

import com.assignr.resilience.internal.Deadline;
import com.assignr.resilience.spi.CallObservation;
import com.assignr.resilience.spi.CallOptions;
import com.assignr.resilience.spi.HeaderLookup;
import com.assignr.resilience.spi.HeaderTimeContext;
import com.assignr.resilience.spi.Permit;
import com.assignr.resilience.spi.RateLimitGate;
import com.assignr.resilience.spi.ResponseAdapter;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One call as the executor sees it: what is asked, its one deadline, where it stands, and the
 * failures of earlier attempts. It is also the {@link HeaderTimeContext} every attempt is given, so
 * the adapters read the time left from here and keep no start or budget of their own.
 */
class CallState<R> implements HeaderTimeContext {
  final Settlement settlement;
  final RequestInfo request;
  final CallOptions options;
  final ResponseAdapter<R> adapter;
  final RateLimitGate gate;
  final long start;
  /** Nanoseconds from {@link #start} to the deadline, or {@link Long#MAX_VALUE} for none. */
  final long budget;
  /** The tracer's view of this call ({@link CallObservation#NONE} without an observer). */
  final CallObservation observation;

  /** The attempt being made or just made, 1-based. */
  int attempt;
  /** When the current attempt was admitted (for the breaker's duration). */
  long attemptStart;
  /** The current attempt's gate admission while it is not yet answered; else null. */
  Permit permit;
  /** The last outcome, for give-ups that happen before the next attempt. */
  Outcome last;
  /** The current attempt's response, while it is not yet returned or discarded; else null. */
  R response;
  /** The Authorization value the library adds to the current attempt, or null. A secret. */
  String addedAuthorization;
  /** Whether this call already had its one retry after a 401 for a token the library added. */
  boolean renewedCredentials;
  /** Failures of earlier attempts, attached to the final exception as suppressed. */
  List<Throwable> earlier;
  /**
   * An attempt settled as soon as its headers were known ({@link #settleOnHeaders}): its number,
   * outcome and decision, used when the attempt completes instead of deciding again.
   */
  private volatile Settled settled;
  /** Whether the call's end was announced as a give-up (see {@link #announceEnd}). */
  @SuppressWarnings("unused") // through ENDED
  private volatile boolean ended;

  private static final VarHandle ENDED;

  static {
    try {
      ENDED = MethodHandles.lookup().findVarHandle(CallState.class, "ended", boolean.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  record Settled(int attempt, Outcome outcome, Decision decision) {}

  CallState(Settlement settlement, RequestInfo request, CallOptions options, ResponseAdapter<R> adapter,
      RateLimitGate gate, long start, CallObservation observation) {
    this.observation = observation;
    this.settlement = settlement;
    this.request = request;
    this.options = options;
    this.adapter = adapter;
    this.gate = gate;
    this.start = start;
    this.budget = settlement.budgetNanos(options);
  }

  @Override
  public int number() {
    return attempt;
  }

  @Override
  public String authorization() {
    return addedAuthorization;
  }

  @Override
  public java.util.Map<String, String> propagationHeaders() {
    return observation.propagationHeaders();
  }

  @Override
  public long nanosLeft() {
    return untilDeadline(settlement.time.nanoTime());
  }

  @Override
  public boolean settleOnHeaders(int status, HeaderLookup headers) {
    Outcome outcome = Outcome.response(status, headers);
    Decision decision = settlement.settle(this, outcome, settlement.time.nanoTime());
    settled = new Settled(attempt, outcome, decision);
    return settlement.returnsToCaller(decision);
  }

  /** The settlement made at header time for {@code attempt}, or null; consumed once. */
  Settled takeSettled(int attempt) {
    Settled s = settled;
    if (s == null || s.attempt != attempt) return null;
    settled = null;
    return s;
  }

  long untilDeadline(long now) {
    return Deadline.left(start, budget, now);
  }

  /** The current attempt's permit, handed over once (to be answered); null when it holds none. */
  Permit takePermit() {
    Permit p = permit;
    permit = null;
    return p;
  }

  /**
   * Claims the one announcement of this call's end as a give-up: true the first time only. An
   * async call can end twice in a race (its caller cancels while the loop stops it); listeners
   * hear one end.
   */
  boolean announceEnd() {
    return ENDED.compareAndSet(this, false, true);
  }

  /** Whether the caller gave up on this call. */
  boolean isCancelled() {
    return options.cancellation().isCancelled();
  }

  Duration elapsed() {
    return Duration.ofNanos(settlement.time.nanoTime() - start);
  }

  /** Releases a response that will not be returned, or remembers a failure for the final exception. */
  void discard(R response, Outcome outcome) {
    if (response != null) {
      adapter.discard(response);
    } else if (outcome.failure() != null) {
      if (earlier == null) earlier = new ArrayList<>(2);
      earlier.add(outcome.failure());
    }
  }
}
