package com.assignr.resilience;

/** 404: no such resource. */
public final class NotFoundException extends AssignrException {
  private static final long serialVersionUID = 1L;

  public NotFoundException(FailureDetails details, Throwable cause) {
    super(details, null, cause);
  }
}
