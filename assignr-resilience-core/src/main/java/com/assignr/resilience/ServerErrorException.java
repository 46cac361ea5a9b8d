package com.assignr.resilience;

/** 5xx that was not retried or kept failing (503 after its backoffs, 500 on a non-idempotent request). */
public final class ServerErrorException extends AssignrException {
  private static final long serialVersionUID = 1L;

  public ServerErrorException(FailureDetails details, Throwable cause) {
    super(details, null, cause);
  }
}
