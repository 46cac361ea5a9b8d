package com.assignr.resilience;

import com.assignr.resilience.spi.CancellationSignal;

import com.assignr.resilience.internal.SystemTimeSource;
import java.time.Clock;

/**
 * The one seam through which the library reads time, waits and schedules, per instance. The
 * engine never sleeps; adapters wait through this, so tests substitute a virtual implementation
 * whose clock advances when something "sleeps" and never block.
 *
 * <p>{@code System.nanoTime}, {@code Instant.now} and {@code Thread.sleep} appear only in
 * {@link #system()}.
 */
public interface TimeSource {
  /** Monotonic nanoseconds, for elapsed time and deadlines ({@code System.nanoTime()} style). */
  long nanoTime();

  /** Wall-clock time, only for reporting the instant at which a retry would succeed. */
  Clock clock();

  /**
   * Waits for {@code nanos}, returning early (without throwing) as soon as {@code signal} reports
   * cancellation. Callers re-check the signal afterwards.
   *
   * @throws InterruptedException if the waiting thread is interrupted
   */
  void sleep(long nanos, CancellationSignal signal) throws InterruptedException;

  /**
   * Runs {@code task} after {@code nanos} without holding a thread meanwhile. The task must be
   * short; adapters use it only to start the next non-blocking attempt.
   */
  Cancellable schedule(Runnable task, long nanos);

  /** A scheduled task that can be withdrawn. */
  @FunctionalInterface
  interface Cancellable {
    /** Withdraws the task if it has not started yet. */
    void cancel();
  }

  /** The real clock, {@code LockSupport}-based sleeping and one shared daemon scheduler thread. */
  static TimeSource system() {
    return SystemTimeSource.INSTANCE;
  }
}
