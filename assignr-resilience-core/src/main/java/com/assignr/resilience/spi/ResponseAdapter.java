package com.assignr.resilience.spi;

/**
 * How the {@link RetryExecutor} looks at a client's response type {@code R}: its status and
 * headers, how to dispose of one it will not return, and (optionally) how to read the start of its
 * body for an exception.
 */
public interface ResponseAdapter<R> {
  int status(R response);

  HeaderLookup headers(R response);

  /**
   * Releases a response the executor decided not to return (it will retry, or throw): close it,
   * or drain it without buffering. Must not throw.
   */
  void discard(R response);

  /** At most {@code maxChars} of the body, for exception excerpts; null when unavailable. */
  default String bodyExcerpt(R response, int maxChars) {
    return null;
  }
}
