package com.assignr.resilience.internal;

import com.assignr.resilience.spi.CancellationSignal;
import com.assignr.resilience.TimeSource;
import java.time.Clock;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/** The real time source. Not for users: call {@link TimeSource#system()}. */
public final class SystemTimeSource implements TimeSource {

  /** How the system source parks a thread; a seam so a test can count the wake-ups. */
  interface Parker {
    long nanoTime();

    void parkNanos(Object blocker, long nanos);
  }

  private static final Parker LOCK_SUPPORT = new Parker() {
    @Override public long nanoTime() { return System.nanoTime(); }
    @Override public void parkNanos(Object blocker, long nanos) { LockSupport.parkNanos(blocker, nanos); }
  };

  /** After {@link #LOCK_SUPPORT}: static fields initialise in order. */
  public static final SystemTimeSource INSTANCE = new SystemTimeSource();

  private final Parker parker;
  private final CancellationWatch watch;
  private volatile ScheduledThreadPoolExecutor scheduler;

  private SystemTimeSource() {
    this(LOCK_SUPPORT, new CancellationWatch());
  }

  SystemTimeSource(Parker parker, CancellationWatch watch) {
    this.parker = parker;
    this.watch = watch;
  }

  @Override
  public long nanoTime() {
    return System.nanoTime();
  }

  @Override
  public Clock clock() {
    return Clock.systemUTC();
  }

  /**
   * Parks until the wake-up time; a cancelled signal is noticed by the {@link CancellationWatch},
   * which unparks this thread, and an interrupt unparks it directly. Spurious wake-ups park again
   * for what is left.
   */
  @Override
  public void sleep(long nanos, CancellationSignal signal) throws InterruptedException {
    if (signal.isCancelled()) return;
    CancellationWatch.Sleeper sleeper = signal == CancellationSignal.NEVER ? null : watch.watch(signal);
    try {
      long deadline = parker.nanoTime() + nanos;
      for (long left = nanos; left > 0; left = deadline - parker.nanoTime()) {
        parker.parkNanos(this, left);
        if (Thread.interrupted()) throw new InterruptedException("interrupted while waiting to retry");
        if (sleeper != null && (sleeper.cancelled() || signal.isCancelled())) return;
      }
    } finally {
      if (sleeper != null) watch.unwatch(sleeper);
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
