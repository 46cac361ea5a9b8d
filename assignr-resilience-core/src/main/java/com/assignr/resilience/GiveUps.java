package com.assignr.resilience;

import com.assignr.resilience.internal.Exceptions;
import com.assignr.resilience.spi.AuthorizationFailure;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import java.io.IOException;
import java.io.InterruptedIOException;

/**
 * How a call ends when the engine stops: the response returned, or the exception that explains
 * why (attempts, elapsed time, which limit stopped it, earlier failures as suppressed). Every end
 * but success is announced here, once, as {@link RetryListener#onGiveUp}: a call cancelled or
 * interrupted while it waits too, so that listeners (the metrics) see every call end.
 */
final class GiveUps {
  private GiveUps() {}

  /**
   * Ends {@code call} on {@code stop}: returns {@code response} on success (or, in responses mode,
   * a failure response), else throws.
   */
  static <R> R finish(Settlement s, CallState<R> call, Decision.Stop stop, Outcome outcome, R response)
      throws IOException {
    if (stop.succeeded()) {
      call.observation.ended(call.attempt, stop, outcome);
      return response;
    }
    int attempts = call.attempt;
    announce(s, call, attempts, stop, outcome);
    if (!outcome.isResponse()) {
      Throwable failure = outcome.failure();
      if (outcome.classification() == Classification.CANCELLED) {
        if (failure instanceof InterruptedIOException) {
          if (call.earlier != null) call.earlier.forEach(failure::addSuppressed);
          throw (InterruptedIOException) failure;
        }
        InterruptedIOException e = interrupted(call, "Canceled");
        e.initCause(failure);
        throw e;
      }
      if (outcome.classification() == Classification.UNEXPECTED_FAILURE) {
        if (call.earlier != null) call.earlier.forEach(failure::addSuppressed);
        if (failure instanceof RuntimeException) throw (RuntimeException) failure;
        if (failure instanceof Error) throw (Error) failure;
      }
      throw Exceptions.forOutcome(details(call, attempts, stop, outcome, null), failure, call.earlier);
    }
    if (!s.throwOnFailure) return response;
    throw exceptionFor(s, call, stop, outcome, response);
  }

  /**
   * The typed exception for a failure response that will not be returned; the response is
   * discarded after its excerpt is read. Also used when a retry decided at header time can no
   * longer be waited for (its body already drained into an excerpt).
   */
  static <R> AssignrException exceptionFor(Settlement s, CallState<R> call, Decision.Stop stop,
      Outcome outcome, R response) {
    String excerpt = null;
    try {
      excerpt = call.adapter.bodyExcerpt(response, s.excerptChars);
    } finally {
      call.adapter.discard(response);
    }
    return Exceptions.forOutcome(details(call, call.attempt, stop, outcome, excerpt), null, call.earlier);
  }

  /** A retry decided earlier can no longer be waited for: the deadline came first. */
  static <R> AssignrException tooLateToRetry(Settlement s, CallState<R> call, Decision.Stop stop) {
    Outcome outcome = call.last;
    announce(s, call, call.attempt, stop, outcome);
    R response = call.response;
    call.response = null;
    if (response != null) return exceptionFor(s, call, stop, outcome, response);
    return Exceptions.forOutcome(details(call, call.attempt, stop, outcome, null), outcome.failure(), call.earlier);
  }

  /**
   * No access token could be had for the next attempt: nothing more is sent. The type says which
   * kind of failure (never Assignr's 401: Assignr did not see the attempt); the stop reason is the
   * deadline when the call's wait ended first.
   */
  static TokenFailureException noToken(Settlement s, CallState<?> call, AuthorizationFailure cause) {
    Classification cls = switch (cause.kind()) {
      case REFUSED -> Classification.CREDENTIALS_REFUSED;
      case INVALID -> Classification.TOKEN_INVALID;
      case UNAVAILABLE -> Classification.TOKEN_UNAVAILABLE;
    };
    StopReason reason = cause.deadlineReached() ? StopReason.DEADLINE_EXCEEDED : StopReason.NOT_RETRYABLE;
    Decision.Stop stop = new Decision.Stop(reason, cls, null);
    Outcome last = Outcome.failure(cause, cls);
    int attempts = call.attempt - 1;
    announce(s, call, attempts, stop, last);
    FailureDetails details = new FailureDetails(call.request, 0, cls, RateLimitInfo.none(), attempts,
        call.elapsed(), reason, null, null);
    TokenFailureException e = switch (cause.kind()) {
      case REFUSED -> new CredentialsRefusedException(details, cause);
      case INVALID -> new TokenInvalidException(details, cause);
      case UNAVAILABLE -> new TokenUnavailableException(details, cause);
    };
    if (call.earlier != null) call.earlier.forEach(e::addSuppressed);
    return e;
  }

  /** The caller would wait in the gate past the cap or the deadline: nothing more is sent. */
  static AssignrException gateWait(Settlement s, CallState<?> call, Decision.Stop stop) {
    Outcome last = call.last != null ? call.last
        : Outcome.failure(new IOException("not sent: the rate-limit gate is closed"), Classification.RATE_LIMITED);
    int attempts = call.attempt - 1;
    announce(s, call, attempts, stop, last);
    return Exceptions.rateLimited(details(call, attempts, stop, last, null), call.earlier);
  }

  /** The breaker is open: nothing is sent. */
  static AssignrException circuitOpen(Settlement s, CallState<?> call, CallNotPermittedException cause) {
    Decision.Stop stop = new Decision.Stop(StopReason.CIRCUIT_OPEN, Classification.SERVER_ERROR, null);
    Outcome last = call.last != null ? call.last : Outcome.failure(cause, Classification.SERVER_ERROR);
    int attempts = call.attempt - 1;
    announce(s, call, attempts, stop, last);
    return Exceptions.circuitOpen(details(call, attempts, stop, last, null), cause, call.earlier);
  }

  /**
   * The call was cancelled or interrupted while it waited (a backoff, the gate): nothing more is
   * sent.
   *
   * @param attempts the attempts made so far
   */
  static InterruptedIOException cancelled(Settlement s, CallState<?> call, int attempts, String message) {
    InterruptedIOException e = interrupted(call, message);
    Outcome last = call.last != null ? call.last : Outcome.failure(e, Classification.CANCELLED);
    announce(s, call, attempts, CANCELLED, last);
    return e;
  }

  /**
   * The wait for an access token ended because the call was cancelled or the thread interrupted
   * (a deadline ends it with {@link #noToken}). {@code e} is what the credentials threw; it is
   * thrown as it is.
   */
  static InterruptedIOException tokenWaitEnded(Settlement s, CallState<?> call, InterruptedIOException e) {
    Outcome last = call.last != null ? call.last : Outcome.failure(e, Classification.CANCELLED);
    announce(s, call, call.attempt - 1, CANCELLED, last);
    if (call.earlier != null) call.earlier.forEach(e::addSuppressed);
    return e;
  }

  /** A user's async cancellation: the call ends, with {@code attempts} made. */
  static void cancelledByCaller(Settlement s, CallState<?> call, int attempts) {
    if (!call.announceEnd()) return;
    Outcome last = call.last != null ? call.last
        : Outcome.failure(new java.util.concurrent.CancellationException(), Classification.CANCELLED);
    s.listener.onGiveUp(call.request, attempts, call.elapsed(), CANCELLED, last);
    call.observation.ended(attempts, CANCELLED, last);
  }

  private static final Decision.Stop CANCELLED =
      new Decision.Stop(StopReason.CANCELLED, Classification.CANCELLED, null);

  private static void announce(Settlement s, CallState<?> call, int attempts, Decision.Stop stop, Outcome last) {
    if (call.announceEnd()) {
      s.listener.onGiveUp(call.request, attempts, call.elapsed(), stop, last);
      call.observation.ended(attempts, stop, last);
    }
  }

  private static InterruptedIOException interrupted(CallState<?> call, String message) {
    InterruptedIOException e = new InterruptedIOException(message);
    if (call.earlier != null) call.earlier.forEach(e::addSuppressed);
    return e;
  }

  private static FailureDetails details(CallState<?> call, int attempts, Decision.Stop stop, Outcome last,
      String excerpt) {
    Classification cls = switch (stop.reason()) {
      case CIRCUIT_OPEN -> Classification.SERVER_ERROR;
      case WAIT_EXCEEDS_CAP, DEADLINE_EXCEEDED -> stop.classification();
      default -> last.classification();
    };
    return new FailureDetails(call.request, last.status(), cls, last.rateLimit(), attempts, call.elapsed(),
        stop.reason(), stop.retryAt(), excerpt);
  }
}
