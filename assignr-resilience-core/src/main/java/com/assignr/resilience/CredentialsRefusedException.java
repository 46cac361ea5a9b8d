package com.assignr.resilience;

import com.assignr.resilience.spi.AuthorizationFailure;

/**
 * No access token: the token endpoint refused the credentials ({@link
 * Classification#CREDENTIALS_REFUSED}), with {@link #error()} {@code invalid_client}, {@code
 * unauthorized_client}, {@code invalid_scope} or {@code unsupported_grant_type} (or a bare 401).
 * Permanent until the client id, secret or scope are corrected: not retried, and every caller
 * waiting for that token is told at once.
 */
public final class CredentialsRefusedException extends TokenFailureException {
  private static final long serialVersionUID = 1L;

  /**
   * @param details what was called and how it ended
   * @param cause what the credentials said
   */
  public CredentialsRefusedException(FailureDetails details, AuthorizationFailure cause) {
    super(details, "The token endpoint refused the credentials (permanent; check the client id, secret"
        + " and scope)", cause);
  }
}
