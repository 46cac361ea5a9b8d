package com.assignr.resilience.spi;

/**
 * Tells a waiting call that its caller gave up on it: OkHttp's {@code Call.isCanceled()}, a
 * cancelled future. Polled while waiting, so it must be cheap and thread-safe.
 */
@FunctionalInterface
public interface CancellationSignal {
  /** A signal that never fires. */
  CancellationSignal NEVER = () -> false;

  boolean isCancelled();
}
