package com.assignr.resilience;

/** The Resilience4j circuit breaker is open: the call failed fast without being sent. */
public final class CircuitOpenException extends AssignrException {
  private static final long serialVersionUID = 1L;

  public CircuitOpenException(FailureDetails details, Throwable cause) {
    super(details, "The circuit breaker is open after repeated server failures; nothing was sent", cause);
  }
}
