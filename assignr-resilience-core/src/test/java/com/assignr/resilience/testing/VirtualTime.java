package com.assignr.resilience.testing;

import com.assignr.resilience.CancellationSignal;
import com.assignr.resilience.TimeSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;

/**
 * A {@link TimeSource} on virtual time, for tests that must never sleep. Shared by the adapters'
 * tests through core's test-jar.
 *
 * <ul>
 *   <li>{@link #autoAdvancing(Instant)}: every {@code sleep} advances the clock by its length and
 *       returns at once, and every scheduled task runs at once on a helper thread after the clock
 *       is moved to its due time. For one call at a time: the waits are recorded and asserted.
 *   <li>{@link #manual(Instant)}: sleepers block and scheduled tasks wait until the test calls
 *       {@link #advance(Duration)}, for timelines with several callers.
 * </ul>
 *
 * <p>Blocked sleepers look at their cancellation signal every millisecond of real time, since
 * OkHttp's {@code Call.cancel()} wakes nobody.
 */
public final class VirtualTime implements TimeSource {
  private final boolean auto;
  private final Instant epoch;
  private long nanos;
  private final PriorityQueue<Task> tasks = new PriorityQueue<>();
  private final List<Long> sleeps = new ArrayList<>();
  private final List<Long> scheduled = new ArrayList<>();
  private long sequence;
  private int sleepers;
  /** Wake-up times of the threads sleeping now. */
  private final List<Long> wakeTimes = new ArrayList<>();

  private VirtualTime(boolean auto, Instant epoch) {
    this.auto = auto;
    this.epoch = epoch;
  }

  public static VirtualTime autoAdvancing(Instant epoch) {
    return new VirtualTime(true, epoch);
  }

  public static VirtualTime autoAdvancing() {
    return autoAdvancing(Instant.parse("2026-11-25T12:00:00Z"));
  }

  public static VirtualTime manual(Instant epoch) {
    return new VirtualTime(false, epoch);
  }

  public static VirtualTime manual() {
    return manual(Instant.parse("2026-11-25T12:00:00Z"));
  }

  @Override
  public synchronized long nanoTime() {
    return nanos;
  }

  /** Virtual time elapsed since the start. */
  public synchronized Duration elapsed() {
    return Duration.ofNanos(nanos);
  }

  @Override
  public Clock clock() {
    VirtualTime self = this;
    return new Clock() {
      @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
      @Override public Clock withZone(java.time.ZoneId zone) { return this; }
      @Override public Instant instant() { return self.instant(); }
    };
  }

  public synchronized Instant instant() {
    return epoch.plusNanos(nanos);
  }

  @Override
  public void sleep(long duration, CancellationSignal signal) throws InterruptedException {
    synchronized (this) {
      sleeps.add(duration);
      if (auto) {
        nanos += Math.max(0, duration);
        notifyAll();
        return;
      }
      Long wake = nanos + duration;
      sleepers++;
      wakeTimes.add(wake);
      notifyAll();
      try {
        while (nanos < wake && !signal.isCancelled()) {
          wait(1);
        }
      } finally {
        sleepers--;
        wakeTimes.remove(wake);
        notifyAll();
      }
    }
  }

  @Override
  public Cancellable schedule(Runnable task, long delay) {
    Task t;
    synchronized (this) {
      scheduled.add(delay);
      t = new Task(nanos + Math.max(0, delay), sequence++, task);
      if (!auto) {
        tasks.add(t);
        notifyAll();
        return () -> {
          synchronized (VirtualTime.this) {
            tasks.remove(t);
          }
        };
      }
    }
    Thread runner = new Thread(() -> {
      synchronized (VirtualTime.this) {
        if (t.cancelled) return;
        nanos = Math.max(nanos, t.due);
        t.started = true;
        notifyAll();
      }
      t.task.run();
    }, "virtual-time-task");
    runner.setDaemon(true);
    runner.start();
    return () -> {
      synchronized (VirtualTime.this) {
        if (!t.started) t.cancelled = true;
      }
    };
  }

  /**
   * Moves the clock forward, running every scheduled task that falls due, in order. Returns once
   * every thread whose sleep fell due has woken up, so what it does next happens at the new time.
   */
  public void advance(Duration by) {
    advanceClock(by);
    synchronized (this) {
      long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (wakeTimes.stream().anyMatch(w -> w <= nanos) && System.nanoTime() < giveUp) {
        try {
          wait(1);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  private void advanceClock(Duration by) {
    long target;
    synchronized (this) {
      target = nanos + by.toNanos();
    }
    while (true) {
      Task next;
      synchronized (this) {
        next = tasks.peek();
        if (next == null || next.due > target) {
          nanos = Math.max(nanos, target);
          notifyAll();
          return;
        }
        tasks.poll();
        nanos = Math.max(nanos, next.due);
        notifyAll();
      }
      next.task.run();
    }
  }

  /** Blocks (in real time, at most {@code timeout}) until {@code count} threads are sleeping. */
  public synchronized boolean awaitSleepers(int count, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (sleepers < count) {
      long left = deadline - System.nanoTime();
      if (left <= 0) return false;
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    return true;
  }

  /** Blocks (in real time, at most {@code timeout}) until {@code count} tasks are scheduled. */
  public synchronized boolean awaitScheduled(int count, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (tasks.size() < count) {
      long left = deadline - System.nanoTime();
      if (left <= 0) return false;
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    return true;
  }

  public synchronized int sleepingThreads() {
    return sleepers;
  }

  public synchronized int pendingTasks() {
    return tasks.size();
  }

  /** Every sleep asked for, in nanoseconds, in order. */
  public synchronized List<Duration> sleeps() {
    return sleeps.stream().map(Duration::ofNanos).toList();
  }

  /** Every scheduling delay asked for, in order. */
  public synchronized List<Duration> scheduledDelays() {
    return scheduled.stream().map(Duration::ofNanos).toList();
  }

  private static final class Task implements Comparable<Task> {
    final long due;
    final long seq;
    final Runnable task;
    boolean cancelled;
    boolean started;

    Task(long due, long seq, Runnable task) {
      this.due = due;
      this.seq = seq;
      this.task = task;
    }

    @Override
    public int compareTo(Task o) {
      return due != o.due ? Long.compare(due, o.due) : Long.compare(seq, o.seq);
    }
  }
}
