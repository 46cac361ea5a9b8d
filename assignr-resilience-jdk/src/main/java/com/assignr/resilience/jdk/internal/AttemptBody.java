package com.assignr.resilience.jdk.internal;

import java.util.Objects;

/**
 * What one attempt's body turned into: the caller's own body type, read by the caller's handler,
 * or a bounded excerpt of a body that was read and thrown away because the executor settled the
 * response, at header time, as one to retry or to turn into an exception.
 *
 * @param <T> the caller's body type
 */
public sealed interface AttemptBody<T> permits AttemptBody.Delivered, AttemptBody.Discarded {

  /** The body as the caller's handler produced it (possibly null, as for {@code discarding()}). */
  record Delivered<T>(T value) implements AttemptBody<T> {}

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
    public String toString() {
      return "Discarded[kept " + excerpt.length + " of " + totalBytes + " bytes]";
    }
  }
}
