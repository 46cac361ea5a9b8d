package com.assignr.resilience;

import com.assignr.resilience.spi.AuthorizationFailure;

/**
 * No access token: the token endpoint answered, but not with a usable token ({@link
 * Classification#TOKEN_INVALID}): not JSON, no {@code access_token}, a type other than Bearer, a
 * lifetime too short to use. The credentials retry on their backoff, as an endpoint that answers
 * nonsense may be mid-deployment; the message says what was wrong (never the token).
 */
public final class TokenInvalidException extends TokenFailureException {
  private static final long serialVersionUID = 1L;

  /**
   * @param details what was called and how it ended
   * @param cause what the credentials said
   */
  public TokenInvalidException(FailureDetails details, AuthorizationFailure cause) {
    super(details, "The token endpoint's answer was not a usable token", cause);
  }
}
