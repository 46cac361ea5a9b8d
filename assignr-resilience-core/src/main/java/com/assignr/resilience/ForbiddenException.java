package com.assignr.resilience;

/** 403: valid credentials without permission for this resource. */
public final class ForbiddenException extends AssignrException {
  private static final long serialVersionUID = 1L;

  public ForbiddenException(FailureDetails details, Throwable cause) {
    super(details, null, cause);
  }
}
