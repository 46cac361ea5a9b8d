package com.assignr.resilience.jdk.internal;

import java.util.Objects;

/**
 * What one attempt's body turned into: the caller's own body type, read by the caller's handler,
 * or a bounded excerpt of a body that was read and thrown away because the response was expected
 * to be retried (or, with {@code throwOnFailure}, to become an exception).
 *
 * @param <T> the caller's body type
 */
public sealed interface AttemptBody<T> permits AttemptBody.Delivered, AttemptBody.Discarded {

  /** Whether the caller's handler read this body. */
  boolean delivered();

  /** The body as the caller's handler produced it (possibly null, as for {@code discarding()}). */
  record Delivered<T>(T value) implements AttemptBody<T> {
    @Override
    public boolean delivered() {
      return true;
    }
  }

  /**
   * A body read by {@link ExcerptSubscriber}: its first bytes and its full length.
   *
   * @param excerpt the first bytes, at most the configured excerpt size
   * @param totalBytes how many bytes the body had
   */
  record Discarded<T>(byte[] excerpt, long totalBytes) implements AttemptBody<T> {
    public Discarded {
      Objects.requireNonNull(excerpt, "excerpt");
    }

    /** Whether the excerpt is the whole body. */
    public boolean complete() {
      return excerpt.length == totalBytes;
    }

    @Override
    public boolean delivered() {
      return false;
    }

    @Override
    public String toString() {
      return "Discarded[kept " + excerpt.length + " of " + totalBytes + " bytes]";
    }
  }
}
