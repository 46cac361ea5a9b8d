package com.assignr.resilience;

import com.assignr.resilience.internal.Deadline;

import com.assignr.resilience.internal.Hosts;
import com.assignr.resilience.spi.Admission;
import com.assignr.resilience.spi.AuthorizationFailure;
import com.assignr.resilience.spi.Authorizer;
import com.assignr.resilience.spi.CallObservation;
import com.assignr.resilience.spi.CallObserver;
import com.assignr.resilience.spi.CallOptions;
import com.assignr.resilience.spi.Permit;
import com.assignr.resilience.spi.RateLimitGate;
import com.assignr.resilience.spi.ResponseAdapter;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * The steps every call takes, whatever its loop: open it (HTTPS check, gate lookup), admit an
 * attempt (gate, then breaker), turn the attempt's result into an {@link Outcome}, and settle it.
 *
 * <p>Settling is the one place where an outcome feeds the gate and the breaker, fires the events
 * and is put to the engine; the blocking loop, the async loop and a header-time settlement all
 * call {@link #settle}. The engine is the only decider: of retries, and of gate waits too ({@link
 * RetryEngine#decideGateWait}).
 */
final class Settlement {
  static final Decision.Stop SUCCEEDED = new Decision.Stop(StopReason.SUCCEEDED, Classification.SUCCESS, null);
  final RetryEngine engine;
  final TimeSource time;
  final RetryListener listener;
  /** Sees each call for tracing; {@link CallObserver#NONE} by default. */
  final CallObserver observer;
  final CircuitBreaker breaker;
  final boolean throwOnFailure;
  final int excerptChars;
  private final Gates gates;
  /** The authorizations the library adds, or null when the caller brings its own credentials. */
  final Authorizer credentials;
  private final boolean allowInsecureLoopback;
  private final long policyBudgetNanos;

  Settlement(RetryEngine engine, TimeSource time, RetryListener listener, CircuitBreaker breaker, Gates gates,
      Authorizer credentials, boolean allowInsecureLoopback, boolean throwOnFailure, int excerptChars,
      Duration totalTimeout, CallObserver observer) {
    this.observer = observer;
    this.credentials = credentials;
    this.engine = engine;
    this.time = time;
    this.listener = listener;
    this.breaker = breaker;
    this.gates = gates;
    this.allowInsecureLoopback = allowInsecureLoopback;
    this.throwOnFailure = throwOnFailure;
    this.excerptChars = excerptChars;
    this.policyBudgetNanos = totalTimeout == null ? Deadline.NONE : totalTimeout.toNanos();
  }

  /** The call's budget: the earlier of the caller's timeout and the policy's. */
  long budgetNanos(CallOptions options) {
    return Deadline.budget(policyBudgetNanos, options.timeout());
  }

  /**
   * Checks the request and finds its gate.
   *
   * @throws InsecureRequestException for plain HTTP (loopback only when allowed): nothing is sent
   */
  RateLimitGate open(RequestInfo request, CallOptions options) throws InsecureRequestException {
    checkSecure(request);
    return gates.gateFor(request, options.credentials());
  }

  /**
   * Refuses plain HTTP before anything is sent: Assignr answers {@code http://} with a 302 that
   * every client follows by turning a POST into a GET. Loopback is allowed only when configured.
   */
  void checkSecure(RequestInfo request) throws InsecureRequestException {
    if (Hosts.isSecureEnough(request.scheme(), request.host(), allowInsecureLoopback)) return;
    throw new InsecureRequestException(request.method(), request.scheme(), request.host(), request.path());
  }

  // ---------------------------------------------------------------------------------------------
  // Credentials

  /** Whether the library adds a token to this call's attempts: it manages them and the request has none. */
  boolean addsToken(CallOptions options) {
    return credentials != null && options.credentials() == null;
  }

  /**
   * The token for the next attempt of {@code call}, asked before its admission so that waiting for
   * a token holds no gate place; bounded by the deadline and the cancellation.
   *
   * @throws TokenFailureException when no token could be had within the call's deadline: the
   *     subclass says which kind of failure it was
   * @throws java.io.InterruptedIOException when the call was cancelled or interrupted meanwhile
   */
  String tokenFor(CallState<?> call, long now) throws java.io.IOException {
    if (!addsToken(call.options)) return null;
    try {
      String token = credentials.authorization(call.untilDeadline(now), call.options.cancellation());
      tokenObtained(call, now);
      return token;
    } catch (AuthorizationFailure e) {
      throw GiveUps.noToken(this, call, e);
    } catch (java.io.InterruptedIOException e) {
      throw GiveUps.tokenWaitEnded(this, call, e);
    }
  }

  /** Tells the call's observation how long it waited for its token (asked at {@code since}). */
  void tokenObtained(CallState<?> call, long since) {
    if (call.observation != CallObservation.NONE) {
      call.observation.tokenObtained(call.attempt, Duration.ofNanos(time.nanoTime() - since));
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Admission: every loop asks the gate here, with the engine's limit, and hands the answer back here

  /**
   * Asks {@code gate} to admit an attempt of a call with {@code untilDeadline} left, offering the
   * longest wait the engine would accept.
   */
  Admission askGate(RateLimitGate gate, long now, long untilDeadline) {
    return gate.tryAcquire(now, engine.gateWaitLimit(untilDeadline));
  }

  /** {@link #askGate} without parking the calling thread (a shared store does I/O). */
  CompletionStage<Admission> askGateAsync(RateLimitGate gate, long now, long untilDeadline) {
    return gate.tryAcquireAsync(now, engine.gateWaitLimit(untilDeadline));
  }

  /**
   * Asks the gate, then the breaker, for attempt {@code call.attempt}.
   *
   * @return 0 when admitted, else how long to wait before asking again
   * @throws AssignrException when the engine says the wait passes the cap or the deadline, or the
   *     breaker is open
   */
  long admit(CallState<?> call, long now) throws AssignrException {
    return onGateAnswer(call, call.gate == null ? null : askGate(call.gate, now, call.untilDeadline(now)), now);
  }

  /**
   * Takes the gate's answer for attempt {@code call.attempt}: a wait goes to the engine, a permit
   * (or none: no gate, or a store that could not answer) to the breaker.
   *
   * @return 0 when admitted, else how long to wait before asking again
   * @throws AssignrException as {@link #admit}
   */
  long onGateAnswer(CallState<?> call, Admission answer, long now) throws AssignrException {
    if (answer instanceof Admission.Wait) {
      return gateWait(call, ((Admission.Wait) answer).nanos(), call.untilDeadline(now));
    }
    return admitted(call, now, (Permit) answer);
  }

  /** Puts the gate's answer "wait {@code wait}" to the engine; as {@link #admit}. */
  long gateWait(CallState<?> call, long wait, long untilDeadline) throws AssignrException {
    Decision.Stop stop = engine.decideGateWait(wait, untilDeadline);
    if (stop != null) throw GiveUps.gateWait(this, call, stop);
    Duration duration = Duration.ofNanos(wait);
    listener.onGateWait(call.request, call.attempt, duration);
    call.observation.gateWait(call.attempt, call.gate, duration);
    return wait;
  }

  /**
   * The gate admitted the attempt (or there is none, or its store could not answer): the
   * breaker's turn.
   *
   * @param permit the gate's admission to be answered, or null when the attempt holds none
   */
  private long admitted(CallState<?> call, long now, Permit permit) throws AssignrException {
    call.permit = permit;
    if (breaker != null && !breaker.tryAcquirePermission()) {
      releaseGate(call);
      throw GiveUps.circuitOpen(this, call, CallNotPermittedException.createCallNotPermittedException(breaker));
    }
    call.attemptStart = now;
    listener.onAttempt(call.request, call.attempt);
    return 0;
  }

  /** Gives back the current attempt's gate admission unanswered, if it holds one. */
  void releaseGate(CallState<?> call) {
    Permit permit = call.takePermit();
    if (permit != null) permit.release();
  }

  /**
   * An attempt that never answers (an Error) must hold neither the gate's budget nor a permission,
   * nor leave its observation open: the attempt and the call end there, as an unexpected failure
   * ends them on every other path (never retried). The caller gets {@code error} as it was thrown.
   */
  void abandon(CallState<?> call, Error error) {
    releaseGate(call);
    if (breaker != null) breaker.releasePermission();
    Outcome outcome = Outcome.failure(error, Classification.UNEXPECTED_FAILURE);
    call.observation.attemptEnded(call.attempt, outcome);
    if (call.announceEnd()) call.observation.ended(call.attempt, ABANDONED, outcome);
  }

  /** How an attempt's Error ends its call: the engine's answer to any unexpected failure. */
  private static final Decision.Stop ABANDONED =
      new Decision.Stop(StopReason.NOT_RETRYABLE, Classification.UNEXPECTED_FAILURE, null);

  // ---------------------------------------------------------------------------------------------
  // Attempt -> Outcome, written once

  /** The outcome of a response: its status and headers, as the adapter reads them. */
  <R> Outcome outcomeOf(ResponseAdapter<R> adapter, R response) {
    return Outcome.response(adapter.status(response), adapter.headers(response));
  }

  /**
   * A {@link ResponseAdapter} that throws is a programming error: the response is discarded and
   * the outcome is {@link Classification#UNEXPECTED_FAILURE} (never retried, rethrown as is), the
   * same on every path.
   */
  static <R> Outcome adapterFailed(ResponseAdapter<R> adapter, R response, RuntimeException e) {
    try {
      adapter.discard(response);
    } catch (RuntimeException ignored) {
      // discard must not throw; the adapter is broken either way
    }
    return Outcome.failure(e, Classification.UNEXPECTED_FAILURE);
  }

  Outcome outcomeOf(Throwable failure, boolean cancelled) {
    return Outcome.failure(failure, FailureClassifier.classify(failure, cancelled));
  }

  /**
   * Concludes the attempt {@code call.attempt} that returned {@code response} or failed with
   * {@code failure}: its outcome is settled now, unless it was settled when its headers arrived
   * (then that decision stands, and only a failure reading the body is put to the engine again).
   * Leaves the response, if any is still to be returned or discarded, in {@code call.response}.
   */
  <R> Decision conclude(CallState<R> call, R response, Throwable failure) {
    long now = time.nanoTime();
    CallState.Settled early = call.takeSettled(call.attempt);
    call.response = null;
    if (failure != null) {
      Outcome outcome = outcomeOf(failure, call.isCancelled());
      call.observation.attemptEnded(call.attempt, outcome);
      return early != null ? decide(call, outcome, now) : settle(call, outcome, now);
    }
    if (early != null) {
      call.response = response;
      call.observation.attemptEnded(call.attempt, early.outcome());
      return early.decision();
    }
    Outcome outcome;
    try {
      outcome = outcomeOf(call.adapter, response);
      call.response = response;
    } catch (RuntimeException e) {
      outcome = adapterFailed(call.adapter, response, e);
    }
    call.observation.attemptEnded(call.attempt, outcome);
    return settle(call, outcome, now);
  }

  // ---------------------------------------------------------------------------------------------
  // Settlement

  /**
   * The settlement step: ends the attempt's admission with what it learned, records it with the
   * breaker, fires the events, and asks the engine. Runs exactly once per attempt.
   */
  Decision settle(CallState<?> call, Outcome outcome, long now) {
    answer(call.takePermit(), outcome, now);
    if (breaker != null) record(outcome, now - call.attemptStart);
    return decide(call, outcome, now);
  }

  /**
   * {@link #settle} for the first attempt of a blocking call without per-call state (no breaker,
   * no token): when it answered 2xx, the engine's answer is known (a success stops the call), so
   * only the gate and the events hear of it. False for anything else, which the loop then settles
   * in full. The outcome never leaves this method, so escape analysis keeps it off the heap.
   */
  <R> boolean settledAsSuccess(RequestInfo request, Permit permit, ResponseAdapter<R> adapter, R response,
      CallObservation observation) {
    Outcome outcome;
    try {
      outcome = outcomeOf(adapter, response);
    } catch (RuntimeException e) {
      return false; // the loop's settlement reads it again and discards it
    }
    if (outcome.classification() != Classification.SUCCESS) return false;
    answer(permit, outcome, time.nanoTime());
    listener.onOutcome(request, 1, outcome);
    if (observation != CallObservation.NONE) { // kept off the common path: the outcome must not escape
      observation.attemptEnded(1, outcome);
      observation.ended(1, SUCCEEDED, outcome);
    }
    return true;
  }

  /** Answers an admission with the attempt's outcome: the response it got, or none. */
  private static void answer(Permit permit, Outcome outcome, long now) {
    if (permit == null) return;
    if (outcome.isResponse()) permit.onResponse(outcome.status(), outcome.rateLimit(), now);
    else permit.release();
  }

  /**
   * The engine's decision on an outcome whose attempt was already settled at header time and then
   * failed reading its body: the gate and the breaker have heard of this attempt already.
   */
  Decision decide(CallState<?> call, Outcome outcome, long now) {
    call.last = outcome;
    listener.onOutcome(call.request, call.attempt, outcome);
    boolean renewed = false;
    if (outcome.status() == 401 && call.addedAuthorization != null && !call.renewedCredentials) {
      // Assignr refused the token the library added: drop it (unless a newer one already replaced
      // it) and let the engine send the request once more with the next one.
      credentials.invalidate(call.addedAuthorization);
      call.renewedCredentials = true;
      renewed = true;
    }
    Decision decision = engine.decide(call.request, call.attempt, outcome, call.untilDeadline(now), renewed);
    if (decision instanceof Decision.Retry) {
      listener.onRetryScheduled(call.request, call.attempt, (Decision.Retry) decision);
      call.observation.retryScheduled(call.attempt, outcome, (Decision.Retry) decision);
    }
    return decision;
  }

  /**
   * The delay of a retry, checked once more against the deadline just before waiting: a decision
   * made at header time is older than the body that drained meanwhile.
   *
   * @throws AssignrException when the wait would now pass the deadline: the typed give-up (the
   *     response's body is gone, so it cannot be returned)
   */
  long delayOf(CallState<?> call, Decision.Retry retry) throws AssignrException {
    Decision checked = engine.recheck(retry, call.untilDeadline(time.nanoTime()));
    if (checked instanceof Decision.Stop) throw GiveUps.tooLateToRetry(this, call, (Decision.Stop) checked);
    return retry.delay().toNanos();
  }

  /** Whether a decision hands the response to the caller (rather than retrying or throwing). */
  boolean returnsToCaller(Decision decision) {
    return decision instanceof Decision.Stop
        && (((Decision.Stop) decision).succeeded() || !throwOnFailure);
  }

  private void record(Outcome outcome, long nanos) {
    Classification cls = outcome.classification();
    if (cls.isServiceFailure()) {
      Throwable failure = outcome.failure() != null ? outcome.failure()
          : new ServerStatusFailure(outcome.status());
      breaker.onError(nanos, TimeUnit.NANOSECONDS, failure);
    } else if (cls == Classification.RATE_LIMITED || cls == Classification.CANCELLED) {
      breaker.releasePermission();
    } else {
      breaker.onSuccess(nanos, TimeUnit.NANOSECONDS);
    }
  }

  /** Recorded by the breaker for a 5xx response; never thrown to callers. */
  static final class ServerStatusFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ServerStatusFailure(int status) {
      super("HTTP " + status, null, false, false);
    }
  }
}
