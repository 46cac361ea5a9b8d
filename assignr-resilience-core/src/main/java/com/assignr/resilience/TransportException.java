package com.assignr.resilience;

/** An I/O failure without a complete response, after the retries allowed. The original failure is the cause. */
public final class TransportException extends AssignrException {
  private static final long serialVersionUID = 1L;

  public TransportException(FailureDetails details, Throwable cause) {
    super(details, null, cause);
  }
}
