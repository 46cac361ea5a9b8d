package com.assignr.resilience.jdk.internal;

import com.assignr.resilience.AssignrResilience;
import com.assignr.resilience.CallOptions;
import com.assignr.resilience.CancellationSignal;
import com.assignr.resilience.HeaderLookup;
import com.assignr.resilience.InsecureRequestException;
import com.assignr.resilience.RateLimitGate;
import com.assignr.resilience.RequestInfo;
import com.assignr.resilience.TimeSource;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;

/**
 * One call, checked and prepared once: the request as it will be sent (Assignr's headers added),
 * what the engine needs to know about it, its gate and its deadline.
 *
 * <p>The deadline is the earlier of {@code HttpRequest.timeout()} and the policy's {@code
 * totalTimeout}, counted from the start of the call. The executor stops waiting before it. When
 * the caller set a {@code timeout()}, each attempt is also sent with no more than the time left,
 * so a slow attempt cannot outlive the call; the request is rebuilt for that only once time has
 * actually been spent (a gate wait, an earlier attempt), since a rebuilt request costs a header
 * copy and the JDK arms a timer per timed request. Without a caller's timeout, an attempt in
 * flight is bounded as the bare client bounds it (not at all): the policy's deadline then applies
 * to waits and retries only.
 */
final class PreparedCall {
  private static final long MIN_ATTEMPT_TIMEOUT_NANOS = Duration.ofMillis(1).toNanos();
  /** Less time than this spent before an attempt does not warrant rebuilding its request. */
  private static final long UNSPENT_SLACK_NANOS = Duration.ofMillis(10).toNanos();

  private final HttpRequest request;
  private final RequestInfo info;
  private final RateLimitGate gate;
  private final Duration callerTimeout;
  private final TimeSource time;
  private final Preclassifier preclassifier;
  private final int excerptBytes;
  private final long start;
  private final long budget;

  private PreparedCall(HttpRequest request, RequestInfo info, RateLimitGate gate,
      Duration callerTimeout, AssignrResilience resilience, Preclassifier preclassifier) {
    this.request = request;
    this.info = info;
    this.gate = gate;
    this.callerTimeout = callerTimeout;
    this.time = resilience.timeSource();
    this.preclassifier = preclassifier;
    this.excerptBytes = resilience.bodyExcerptChars();
    this.start = time.nanoTime();
    Duration policyTimeout = resilience.policy().totalTimeout();
    long callerNanos = callerTimeout == null ? Long.MAX_VALUE : callerTimeout.toNanos();
    long policyNanos = policyTimeout == null ? Long.MAX_VALUE : policyTimeout.toNanos();
    this.budget = Math.min(callerNanos, policyNanos);
  }

  /**
   * Checks and prepares {@code original}.
   *
   * @throws InsecureRequestException for a plain-HTTP URL (unless loopback is allowed)
   */
  static PreparedCall prepare(HttpRequest original, AssignrResilience resilience,
      Preclassifier preclassifier) throws InsecureRequestException {
    URI uri = original.uri();
    String host = uri.getHost() == null ? "" : uri.getHost();
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    RequestInfo checked = RequestInfo.of(original.method(), uri, true);
    if (!"https".equals(checked.scheme()) && !(resilience.allowInsecureLoopback() && "http".equals(checked.scheme()))) {
      throw new InsecureRequestException(original.method(), uri.getScheme(), host, path);
    }
    HttpRequest request = Requests.withAssignrHeaders(original, resilience.writeContentType());
    RequestInfo info = RequestInfo.of(original.method(), uri, Requests.isReplayable(original));
    RateLimitGate gate = resilience.gateFor(info, original.headers().firstValue("Authorization").orElse(null));
    Duration timeout = original.timeout().orElse(null);
    return new PreparedCall(request, info, gate, timeout, resilience, preclassifier);
  }

  RequestInfo info() {
    return info;
  }

  RateLimitGate gate() {
    return gate;
  }

  int excerptBytes() {
    return excerptBytes;
  }

  /** The request as sent, Assignr's headers included. */
  HttpRequest request() {
    return request;
  }

  CallOptions options(CancellationSignal cancellation) {
    return CallOptions.none().withTimeout(callerTimeout).withCancellation(cancellation)
        .withCredentials(request.headers().firstValue("Authorization").orElse(null));
  }

  long nanosUntilDeadline() {
    return budget == Long.MAX_VALUE ? Long.MAX_VALUE : start + budget - time.nanoTime();
  }

  /** The request for one attempt: the prepared one, its timeout cut to the time left. */
  HttpRequest forAttempt() {
    if (callerTimeout == null) return request;
    long left = nanosUntilDeadline();
    if (left >= callerTimeout.toNanos() - UNSPENT_SLACK_NANOS) return request;
    Duration timeout = Duration.ofNanos(Math.max(left, MIN_ATTEMPT_TIMEOUT_NANOS));
    return HttpRequest.newBuilder(request, (name, value) -> true).timeout(timeout).build();
  }

  boolean willDiscard(int attempt, int status, HeaderLookup headers) {
    return preclassifier.willDiscard(info, attempt, status, headers, nanosUntilDeadline());
  }
}
