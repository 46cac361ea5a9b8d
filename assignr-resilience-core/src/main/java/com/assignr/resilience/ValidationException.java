package com.assignr.resilience;

/** 422: validation failed (missing fields, or a bad parameter such as limit &gt; 50). */
public final class ValidationException extends AssignrException {
  private static final long serialVersionUID = 1L;

  public ValidationException(FailureDetails details, Throwable cause) {
    super(details, null, cause);
  }
}
