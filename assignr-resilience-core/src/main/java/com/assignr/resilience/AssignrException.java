package com.assignr.resilience;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A call to Assignr that did not succeed, when the caller asked for exceptions rather than the
 * final response. Extends {@link java.io.IOException} because both OkHttp interceptors and
 * {@code HttpClient.send} can only throw that. Subclasses name the cases a caller handles
 * differently; the message says what was called, what came back, how many attempts were made in
 * how long, and which rule or limit stopped it. Earlier failures are attached as suppressed
 * exceptions. Never contains a header value, a query string or a credential.
 */
public class AssignrException extends java.io.IOException {
  private static final long serialVersionUID = 1L;
  private final transient FailureDetails details;

  public AssignrException(FailureDetails details, Throwable cause) {
    this(details, null, cause);
  }

  protected AssignrException(FailureDetails details, String advice, Throwable cause) {
    super(Objects.requireNonNull(details, "details").describe() + (advice == null ? "" : ". " + advice), cause);
    this.details = details;
  }

  public FailureDetails details() { return details; }
  public int status() { return details.status(); }
  public Classification classification() { return details.classification(); }
  public RateLimitInfo rateLimit() { return details.rateLimit(); }
  public int attempts() { return details.attempts(); }
  public Duration elapsed() { return details.elapsed(); }
  public StopReason stopReason() { return details.stopReason(); }
  /** When a retry would succeed, if the server said; null otherwise. */
  public Instant retryAt() { return details.retryAt(); }
  /** The start of the last response body, at most the configured excerpt size; null if none. */
  public String bodyExcerpt() { return details.bodyExcerpt(); }
}
