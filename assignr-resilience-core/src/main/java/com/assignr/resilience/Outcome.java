package com.assignr.resilience;

import com.assignr.resilience.spi.HeaderLookup;

import java.util.Objects;

/**
 * How one attempt ended: a response (status and headers) or a failure before a complete response.
 * Rate-limit headers are parsed once, here, and shared by the engine, the gate and the listener.
 */
public final class Outcome {
  private final int status;
  private final HeaderLookup headers;
  private final RateLimitInfo rateLimit;
  private final Throwable failure;
  private final Classification classification;

  private Outcome(int status, HeaderLookup headers, RateLimitInfo rateLimit, Throwable failure,
      Classification classification) {
    this.status = status;
    this.headers = headers;
    this.rateLimit = rateLimit;
    this.failure = failure;
    this.classification = classification;
  }

  /** A response with its status and headers. */
  public static Outcome response(int status, HeaderLookup headers) {
    Objects.requireNonNull(headers, "headers");
    return new Outcome(status, headers, RateLimitInfo.from(headers), null,
        Classification.ofStatus(status));
  }

  /**
   * A failure without a complete response, classified by the adapter that saw it (see {@link
   * FailureClassifier}): {@link Classification#CONNECT_FAILURE}, {@link Classification#IO_FAILURE}
   * or {@link Classification#CANCELLED}.
   */
  public static Outcome failure(Throwable failure, Classification classification) {
    Objects.requireNonNull(failure, "failure");
    Objects.requireNonNull(classification, "classification");
    return new Outcome(0, HeaderLookup.NONE, RateLimitInfo.none(), failure, classification);
  }

  /** The HTTP status, or 0 for a failure. */
  public int status() {
    return status;
  }

  public HeaderLookup headers() {
    return headers;
  }

  public RateLimitInfo rateLimit() {
    return rateLimit;
  }

  /** The failure, or null when a response arrived. */
  public Throwable failure() {
    return failure;
  }

  public boolean isResponse() {
    return failure == null;
  }

  public Classification classification() {
    return classification;
  }

  @Override
  public String toString() {
    return failure == null
        ? status + " " + classification
        : classification + " (" + failure.getClass().getSimpleName() + ")";
  }
}
