package com.assignr.resilience.jdk.internal;

import com.assignr.resilience.AssignrResilience;
import com.assignr.resilience.Classification;
import com.assignr.resilience.Decision;
import com.assignr.resilience.HeaderLookup;
import com.assignr.resilience.Outcome;
import com.assignr.resilience.RequestInfo;
import com.assignr.resilience.RetryEngine;
import com.assignr.resilience.RetryPolicy;

/**
 * Decides, when only the status and headers of a response are known, whether its body will be
 * thrown away: then it is read with an {@link ExcerptSubscriber} instead of the caller's handler.
 *
 * <h2>Why a second opinion, and why it cannot disagree in the dangerous direction</h2>
 *
 * <p>The {@code RetryExecutor} decides after the whole response has arrived; the body handler
 * must choose before the first byte. So the handler asks the same engine rule set early. The
 * engine's answer depends on the request, the attempt number, the status and headers (all known
 * at this point, and identical later), the time left before the deadline, and a random draw for
 * jitter. The last two are the only way the two answers can differ, so this class asks <em>two
 * pessimistic engines</em> of the same policy, one drawing 0.0 (the longest backoff) and one
 * drawing just under 1.0 (the longest rate-limit jitter): a body is discarded only if both would
 * retry. It never touches the configured random source, so the executor's delays are exactly the
 * ones it would have drawn without this adapter. The deadline it is given is measured from a start
 * taken just before the executor's, so it is never later than the executor's.
 *
 * <p>Two rare disagreements remain, both handled: (1) time passes while the discarded body drains,
 * so the executor may find that the wait now passes the deadline and stop; the response is then
 * re-materialised from its excerpt (see {@code CallerResponses}); (2) the executor may draw a
 * shorter jitter than the worst case and retry a response read by the caller's handler; that body
 * is then closed through {@code ResponseAdapter.discard}.
 *
 * <p>With {@code throwOnFailure}, every non-2xx response is either retried or becomes an
 * exception, never returned, so all of them are read as excerpts and the caller's handler sees
 * successes only.
 */
public final class Preclassifier {
  private final RetryEngine longestBackoff;
  private final RetryEngine longestJitter;
  private final boolean throwOnFailure;

  public Preclassifier(AssignrResilience resilience) {
    RetryPolicy policy = resilience.policy();
    this.longestBackoff = RetryEngine.create(policy, resilience.timeSource().clock(), () -> 0.0);
    this.longestJitter = RetryEngine.create(policy, resilience.timeSource().clock(),
        () -> Math.nextDown(1.0));
    this.throwOnFailure = resilience.throwOnFailure();
  }

  /** Whether the response of attempt {@code attempt} with this status and headers will not be returned. */
  public boolean willDiscard(RequestInfo request, int attempt, int status, HeaderLookup headers,
      long nanosUntilDeadline) {
    if (Classification.ofStatus(status) == Classification.SUCCESS) return false;
    if (throwOnFailure) return true;
    Outcome outcome = Outcome.response(status, headers);
    return longestBackoff.decide(request, attempt, outcome, nanosUntilDeadline) instanceof Decision.Retry
        && longestJitter.decide(request, attempt, outcome, nanosUntilDeadline) instanceof Decision.Retry;
  }
}
