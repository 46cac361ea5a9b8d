package com.assignr.resilience;

import com.assignr.resilience.spi.AuthorizationFailure;

/**
 * No access token: the token endpoint could not be reached, failed (5xx, 429, a timeout) or did not
 * answer within the call's deadline ({@link Classification#TOKEN_UNAVAILABLE}). Temporary: the
 * credentials go on retrying on their backoff while something needs a token, and the call may be
 * tried again later.
 */
public final class TokenUnavailableException extends TokenFailureException {
  private static final long serialVersionUID = 1L;

  /**
   * @param details what was called and how it ended
   * @param cause what the credentials said
   */
  public TokenUnavailableException(FailureDetails details, AuthorizationFailure cause) {
    super(details, "No access token could be had (temporary; the call may be tried again later)", cause);
  }
}
