package com.assignr.resilience.internal;

import com.assignr.resilience.CancellationSignal;
import com.assignr.resilience.TimeSource;
import java.time.Clock;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/** The real time source. Not for users: call {@link TimeSource#system()}. */
public final class SystemTimeSource implements TimeSource {
  public static final SystemTimeSource INSTANCE = new SystemTimeSource();

  /**
   * How often a sleeping thread looks at its cancellation signal. OkHttp's {@code Call.cancel()}
   * does not interrupt the thread, so cancellation is noticed by polling; 10 ms keeps the delay
   * imperceptible and costs nothing measurable.
   */
  private static final long CANCEL_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

  private volatile ScheduledThreadPoolExecutor scheduler;

  private SystemTimeSource() {}

  @Override
  public long nanoTime() {
    return System.nanoTime();
  }

  @Override
  public Clock clock() {
    return Clock.systemUTC();
  }

  @Override
  public void sleep(long nanos, CancellationSignal signal) throws InterruptedException {
    long deadline = System.nanoTime() + nanos;
    for (long left = nanos; left > 0; left = deadline - System.nanoTime()) {
      if (signal.isCancelled()) return;
      LockSupport.parkNanos(this, Math.min(left, CANCEL_POLL_NANOS));
      if (Thread.interrupted()) throw new InterruptedException("interrupted while waiting to retry");
    }
  }

  @Override
  public Cancellable schedule(Runnable task, long nanos) {
    ScheduledFuture<?> future = scheduler().schedule(task, Math.max(0, nanos), TimeUnit.NANOSECONDS);
    return () -> future.cancel(false);
  }

  private ScheduledThreadPoolExecutor scheduler() {
    ScheduledThreadPoolExecutor result = scheduler;
    if (result == null) {
      synchronized (this) {
        result = scheduler;
        if (result == null) {
          result = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "assignr-resilience-scheduler");
            thread.setDaemon(true);
            return thread;
          });
          result.setRemoveOnCancelPolicy(true);
          scheduler = result;
        }
      }
    }
    return result;
  }
}
