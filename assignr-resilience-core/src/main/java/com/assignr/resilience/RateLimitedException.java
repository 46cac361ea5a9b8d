package com.assignr.resilience;

/** 429 that could not be waited out within the caps or the deadline. {@link #retryAt()} says when a retry would succeed. */
public final class RateLimitedException extends AssignrException {
  private static final long serialVersionUID = 1L;

  public RateLimitedException(FailureDetails details, Throwable cause) {
    super(details, null, cause);
  }
}
