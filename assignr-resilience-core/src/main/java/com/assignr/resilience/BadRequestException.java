package com.assignr.resilience;

/** 400: Assignr could not parse the request, usually invalid JSON. */
public final class BadRequestException extends AssignrException {
  private static final long serialVersionUID = 1L;

  public BadRequestException(FailureDetails details, Throwable cause) {
    super(details, null, cause);
  }
}
