package com.assignr.resilience;

/**
 * No valid access token could be had for a call: the token source failed (the cause says how,
 * for example a {@link TokenEndpointException}), is backing off after failures and its next
 * attempt falls after the caller's deadline, or did not answer in time. A still-valid token is
 * always used instead of throwing this, so it means the token has expired or was refused with a
 * 401 and no new one came.
 *
 * <p>Extends {@link java.io.IOException}, as both HTTP stacks require. The message names the
 * quota (a hash of the client id), failures and timings, never a token or a secret.
 */
public final class AccessTokenException extends java.io.IOException {
  private static final long serialVersionUID = 1L;

  private final String quotaKey;

  /**
   * @param quotaKey the credentials' {@link Credentials#quotaKey()}
   * @param message what happened (no secret)
   * @param cause the token source's failure, or null
   */
  public AccessTokenException(String quotaKey, String message, Throwable cause) {
    super(message, cause);
    this.quotaKey = quotaKey;
  }

  /**
   * The quota key of the credentials that had no token.
   *
   * @return the key, e.g. {@code "assignr-client#3f2a9c0d41b7"}
   */
  public String quotaKey() {
    return quotaKey;
  }
}
