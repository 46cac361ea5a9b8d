package com.assignr.resilience;

import com.assignr.resilience.spi.AuthorizationFailure;

/**
 * The call was not sent because no access token could be had for it: the library manages the
 * credentials and their token endpoint failed, refused them, or answered nonsense. Nothing reached
 * Assignr, so this is never Assignr's 401 ({@link UnauthorizedException}); {@link #status()} is 0.
 * The subclass says which kind of failure it is; the cause is the {@link AuthorizationFailure},
 * whose own cause is the token endpoint's last answer.
 */
public abstract class TokenFailureException extends AssignrException {
  private static final long serialVersionUID = 1L;

  private final String error;

  TokenFailureException(FailureDetails details, String advice, AuthorizationFailure cause) {
    super(details, advice + ": " + cause.getMessage(), cause);
    this.error = cause.error();
  }

  /**
   * The token endpoint's OAuth {@code error} code, when it gave one.
   *
   * @return e.g. {@code "invalid_client"}, or null
   */
  public String error() {
    return error;
  }
}
