package com.assignr.resilience;

/** 409: optimistic locking failed; the {@code lock_version} sent is stale. Never resend the same body: GET the resource again and resend the change with its fresh {@code lock_version}. */
public final class ConflictException extends AssignrException {
  private static final long serialVersionUID = 1L;

  public ConflictException(FailureDetails details, Throwable cause) {
    super(details, "Never resend the same body: GET the resource again and resend with its fresh lock_version", cause);
  }
}
