package com.assignr.resilience;

/** Why the engine stopped retrying. */
public enum StopReason {
  /** The outcome was a success. */
  SUCCEEDED("succeeded"),
  /** The outcome is permanent for this status (4xx, or a rule set to NEVER). */
  NOT_RETRYABLE("not retryable"),
  /** The server may have acted on a non-idempotent request; sending it again could duplicate it. */
  NOT_IDEMPOTENT("not retried: the method is not idempotent and the server may have acted on it"),
  /** The request body is one-shot or duplex and cannot be sent again. */
  BODY_NOT_REPLAYABLE("not retried: the request body cannot be replayed"),
  /** The policy's maximum number of attempts was reached. */
  ATTEMPTS_EXHAUSTED("attempts exhausted"),
  /**
   * The server asked for a wait longer than the policy's maxServerWait, or a 429 named only resets
   * no Assignr window can have (beyond 3600 s); {@code retryAt} then says when a retry would succeed.
   */
  WAIT_EXCEEDS_CAP("the required wait exceeds maxServerWait"),
  /** The required wait would pass the call's deadline. */
  DEADLINE_EXCEEDED("the required wait would pass the deadline"),
  /** The caller cancelled the call. */
  CANCELLED("cancelled"),
  /** The circuit breaker is open. */
  CIRCUIT_OPEN("the circuit breaker is open");

  private final String description;

  StopReason(String description) {
    this.description = description;
  }

  /** A short phrase for messages. */
  public String description() {
    return description;
  }
}
