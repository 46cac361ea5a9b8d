package com.assignr.resilience;

/** 402: the Assignr site has no active subscription. */
public final class PaymentRequiredException extends AssignrException {
  private static final long serialVersionUID = 1L;

  public PaymentRequiredException(FailureDetails details, Throwable cause) {
    super(details, null, cause);
  }
}
