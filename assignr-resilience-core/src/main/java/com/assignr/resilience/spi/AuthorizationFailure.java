package com.assignr.resilience.spi;

import java.io.IOException;
import java.util.Objects;

/**
 * No {@code Authorization} value could be had for a call, and what kind of failure that is: what an
 * {@link Authorizer} throws, and what the executor turns into the call's typed give-up. The message
 * names the quota, the failure and its timings, never a token or a secret; the cause is the token
 * source's last failure, if any.
 */
public final class AuthorizationFailure extends IOException {
  private static final long serialVersionUID = 1L;

  /** What kind of failure: decides the caller's exception type and whether anything is retried. */
  public enum Kind {
    /**
     * The token endpoint could not be reached, failed (5xx, 429, a timeout) or has not answered
     * within the call's wait. Temporary: the credentials retry on their backoff, and the call may
     * be retried later.
     */
    UNAVAILABLE,
    /**
     * The token endpoint refused the credentials ({@code invalid_client}, {@code
     * unauthorized_client}, {@code invalid_scope}…). Permanent until the configuration changes:
     * not retried on a backoff, and every waiting caller is told at once.
     */
    REFUSED,
    /** The token endpoint answered, but not with a usable token (a malformed answer). */
    INVALID
  }

  private final Kind kind;
  private final String error;
  private final boolean deadlineReached;

  /**
   * @param kind what kind of failure
   * @param error the token endpoint's OAuth {@code error} code ({@code invalid_client}…), or null
   * @param deadlineReached whether the call's wait ended before an answer (rather than the token
   *     source failing within it)
   * @param message what happened (no secret)
   * @param cause the token source's last failure, or null
   */
  public AuthorizationFailure(Kind kind, String error, boolean deadlineReached, String message, Throwable cause) {
    super(message, cause);
    this.kind = Objects.requireNonNull(kind, "kind");
    this.error = error;
    this.deadlineReached = deadlineReached;
  }

  /** @return what kind of failure */
  public Kind kind() {
    return kind;
  }

  /** @return the token endpoint's OAuth {@code error} code, or null */
  public String error() {
    return error;
  }

  /** @return whether the call's wait ended first (its deadline, not the token source, stopped it) */
  public boolean deadlineReached() {
    return deadlineReached;
  }
}
