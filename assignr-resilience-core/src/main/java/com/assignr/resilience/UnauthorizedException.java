package com.assignr.resilience;

/** 401: credentials missing or wrong; an expired OAuth token, too. Refresh the token and retry once. */
public final class UnauthorizedException extends AssignrException {
  private static final long serialVersionUID = 1L;

  public UnauthorizedException(FailureDetails details, Throwable cause) {
    super(details, "Refresh the access token and retry once", cause);
  }
}
