package com.assignr.resilience.internal;

import com.assignr.resilience.spi.CancellationSignal;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Wakes sleeping threads whose call was cancelled. Not for users.
 *
 * <h2>Why one watcher instead of polling sleepers</h2>
 *
 * <p>OkHttp's {@code Call.cancel()} neither interrupts the thread that waits in an interceptor nor
 * tells anybody: cancellation can only be seen by asking {@code isCanceled()}. A sleeper that
 * looks every 10 ms wakes 100 times a second for nothing (500 waiting virtual threads burned about
 * 0.2 CPU-seconds per second). Instead each sleeper parks until its wake-up time, and this one
 * daemon thread asks every registered signal every {@link #POLL_NANOS} and unparks the cancelled
 * ones: one wake-up per poll for the whole process, cancellation latency still a few
 * milliseconds. The watcher parks itself while nobody sleeps. Interrupts need no watcher: they
 * unpark the sleeper directly.
 */
public final class CancellationWatch {
  /** How often registered signals are asked; bounds the cancellation latency. */
  static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

  /** One sleeping thread and the signal it waits on. */
  public static final class Sleeper {
    final Thread thread;
    final CancellationSignal signal;
    volatile boolean cancelled;

    Sleeper(Thread thread, CancellationSignal signal) {
      this.thread = thread;
      this.signal = signal;
    }

    /** Whether the watcher saw the signal fire. */
    public boolean cancelled() {
      return cancelled;
    }
  }

  private final Set<Sleeper> sleepers = ConcurrentHashMap.newKeySet();
  private final Object lock = new Object();
  private Thread watcher;

  /** Starts watching {@code signal} for the calling thread. */
  public Sleeper watch(CancellationSignal signal) {
    Sleeper sleeper = new Sleeper(Thread.currentThread(), signal);
    sleepers.add(sleeper);
    synchronized (lock) {
      if (watcher == null) {
        watcher = new Thread(this::run, "assignr-resilience-cancellation-watch");
        watcher.setDaemon(true);
        watcher.start();
      } else {
        lock.notifyAll();
      }
    }
    return sleeper;
  }

  /** Stops watching. */
  public void unwatch(Sleeper sleeper) {
    sleepers.remove(sleeper);
  }

  /**
   * Asks every registered signal once and unparks the sleepers whose call was cancelled.
   *
   * @return how many were woken
   */
  int pollOnce() {
    int woken = 0;
    for (Sleeper s : sleepers) {
      if (!s.cancelled && s.signal.isCancelled()) {
        s.cancelled = true;
        LockSupport.unpark(s.thread);
        woken++;
      }
    }
    return woken;
  }

  int watched() {
    return sleepers.size();
  }

  private void run() {
    while (true) {
      pollOnce();
      if (sleepers.isEmpty()) {
        synchronized (lock) {
          while (sleepers.isEmpty()) {
            try {
              lock.wait();
            } catch (InterruptedException e) {
              // a daemon thread: keep watching
            }
          }
        }
      }
      LockSupport.parkNanos(this, POLL_NANOS);
    }
  }
}
