package com.assignr.resilience.jdk.internal;

import com.assignr.resilience.AssignrResilience;
import com.assignr.resilience.spi.AttemptContext;
import com.assignr.resilience.spi.CallOptions;
import com.assignr.resilience.spi.CancellationSignal;
import com.assignr.resilience.RequestInfo;
import java.net.http.HttpRequest;
import java.time.Duration;

/**
 * One call, prepared once: the request as it will be sent (Assignr's headers added) and what the
 * executor needs to know about it. The executor owns the deadline, the HTTPS check and the gate.
 *
 * <p>When the caller set a {@code timeout()} (which, with the policy's {@code totalTimeout}, is
 * the call's deadline), each attempt is sent with no more than the time left, so a slow attempt
 * cannot outlive the call; the request is rebuilt for that only once time has actually been spent
 * (a gate wait, an earlier attempt), since a rebuilt request costs a header copy and the JDK arms
 * a timer per timed request. Without a caller's timeout, an attempt in flight is bounded as the
 * bare client bounds it (not at all): the policy's deadline then applies to waits and retries.
 */
final class PreparedCall {
  private static final long MIN_ATTEMPT_TIMEOUT_NANOS = Duration.ofMillis(1).toNanos();
  /** Less time than this spent before an attempt does not warrant rebuilding its request. */
  private static final long UNSPENT_SLACK_NANOS = Duration.ofMillis(10).toNanos();

  private final HttpRequest request;
  private final RequestInfo info;
  private final Duration callerTimeout;
  private final String credentials;
  private final int excerptBytes;

  private PreparedCall(HttpRequest request, RequestInfo info, AssignrResilience resilience) {
    this.request = request;
    this.info = info;
    this.callerTimeout = request.timeout().orElse(null);
    this.credentials = request.headers().firstValue("Authorization").orElse(null);
    this.excerptBytes = resilience.bodyExcerptChars();
  }

  /** Prepares {@code original}; a push-promise exchange is never replayed. */
  static PreparedCall prepare(HttpRequest original, AssignrResilience resilience, boolean once) {
    HttpRequest request = Requests.withAssignrHeaders(original, resilience.writeContentType());
    RequestInfo info = RequestInfo.of(original.method(), original.uri(), !once && Requests.isReplayable(original));
    return new PreparedCall(request, info, resilience);
  }

  RequestInfo info() {
    return info;
  }

  int excerptBytes() {
    return excerptBytes;
  }

  /** The request as sent, Assignr's headers included. */
  HttpRequest request() {
    return request;
  }

  CallOptions options(CancellationSignal cancellation) {
    return CallOptions.none().withTimeout(callerTimeout).withCancellation(cancellation).withCredentials(credentials);
  }

  /**
   * The request for one attempt: the prepared one, its timeout cut to the time the executor says
   * is left, the library's access token when it manages one for this call, and the attempt's own
   * trace-propagation headers when a tracer propagates.
   */
  HttpRequest forAttempt(AttemptContext attempt) {
    String authorization = attempt.authorization();
    java.util.Map<String, String> trace = attempt.propagationHeaders();
    Duration timeout = null;
    if (callerTimeout != null) {
      long left = attempt.nanosLeft();
      if (left < callerTimeout.toNanos() - UNSPENT_SLACK_NANOS) {
        timeout = Duration.ofNanos(Math.max(left, MIN_ATTEMPT_TIMEOUT_NANOS));
      }
    }
    if (authorization == null && timeout == null && trace.isEmpty()) return request;
    HttpRequest.Builder copy = HttpRequest.newBuilder(request, (name, value) -> true);
    if (timeout != null) copy.timeout(timeout);
    if (authorization != null) copy.setHeader("Authorization", authorization);
    trace.forEach(copy::setHeader);
    return copy.build();
  }
}
