package com.assignr.resilience;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Everything known about a call that did not succeed, carried by every {@link AssignrException}.
 *
 * @param request method, host and path (no query, no headers)
 * @param status the last HTTP status, or 0 when no response arrived
 * @param classification what the last outcome means at Assignr
 * @param rateLimit the last response's rate-limit headers
 * @param attempts attempts made
 * @param elapsed time from the first attempt (or gate wait) to the give-up
 * @param stopReason which rule, limit or cap stopped the call
 * @param retryAt when a retry would succeed, if the server said; null otherwise
 * @param bodyExcerpt the start of the last response body (bounded), or null
 */
public record FailureDetails(
    RequestInfo request,
    int status,
    Classification classification,
    RateLimitInfo rateLimit,
    int attempts,
    Duration elapsed,
    StopReason stopReason,
    Instant retryAt,
    String bodyExcerpt) {
  public FailureDetails {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(classification, "classification");
    Objects.requireNonNull(rateLimit, "rateLimit");
    Objects.requireNonNull(elapsed, "elapsed");
    Objects.requireNonNull(stopReason, "stopReason");
  }

  /** One line: what was called, what came back, after how many attempts, and why it stopped. */
  String describe() {
    StringBuilder s = new StringBuilder().append(request).append(" -> ");
    s.append(status > 0 ? status + " " + classification : classification.toString());
    s.append(" after ").append(attempts).append(attempts == 1 ? " attempt" : " attempts")
        .append(" in ").append(elapsed.toMillis()).append(" ms: ").append(stopReason.description());
    if (retryAt != null) s.append("; a retry would succeed at ").append(retryAt);
    return s.toString();
  }
}
