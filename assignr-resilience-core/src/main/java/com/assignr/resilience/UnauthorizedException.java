package com.assignr.resilience;

/** 401: credentials missing or wrong; an expired OAuth token, too. Refresh the token and retry once. */
public final class UnauthorizedException extends AssignrException {
  private static final long serialVersionUID = 1L;

  public UnauthorizedException(FailureDetails details, Throwable cause) {
    super(details, "Refresh the access token and retry once", cause);
  }

  /**
   * A 401 with advice of its own: for example that no token could be obtained at all (the cause
   * then says what the token endpoint answered).
   *
   * @param details what was called and how it ended
   * @param advice what the caller should do
   * @param cause the underlying failure, or null
   */
  public UnauthorizedException(FailureDetails details, String advice, Throwable cause) {
    super(details, advice, cause);
  }
}
