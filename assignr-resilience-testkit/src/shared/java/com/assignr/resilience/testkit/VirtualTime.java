package com.assignr.resilience.testkit;

import com.assignr.resilience.spi.CancellationSignal;
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
 * A {@link TimeSource} on virtual time, for tests that must never sleep: give it to {@link
 * com.assignr.resilience.AssignrResilience.Builder#timeSource(TimeSource)} and its {@link #clock()}
 * to {@code AssignrSimulator.builder().clock(...)}, and minutes of retry delays, gate waits and
 * rate-limit windows pass in milliseconds of real time.
 *
 * <pre>{@code
 * VirtualTime time = VirtualTime.autoAdvancing();
 * AssignrResilience resilience = AssignrResilience.builder()
 *     .timeSource(time)                       // every wait of the library goes through it
 *     .allowInsecureLoopback(true)            // the simulator speaks plain HTTP on loopback
 *     .build();
 * try (AssignrSimulator sim = AssignrSimulator.builder()
 *     .clock(time.clock())                    // the rate-limit windows move with the waits
 *     .rateLimits(RateLimitRule.of(5, Duration.ofMinutes(1)))
 *     .start()) {
 *   // ... calls through a client built with `resilience`, then:
 *   Duration waited = time.elapsed();       // how long the waits took, in virtual time
 * }
 * }</pre>
 *
 * <p>Two modes:
 *
 * <ul>
 *   <li>{@link #autoAdvancing()}: every {@code sleep} advances the clock by its length and
 *       returns at once, and every scheduled task runs at once on a helper thread after the clock
 *       is moved to its due time. For one call at a time: the waits are recorded ({@link
 *       #sleeps()}, {@link #scheduledDelays()}) and can be asserted.
 *   <li>{@link #manual()}: sleepers block and scheduled tasks wait until the test calls {@link
 *       #advance(Duration)}, for timelines with several callers ({@link #awaitSleepers(int,
 *       Duration)} tells when they are all waiting).
 * </ul>
 *
 * <p>Thread-safe. Blocked sleepers look at their cancellation signal every millisecond of real
 * time, since OkHttp's {@code Call.cancel()} wakes nobody. The clock starts at
 * {@code 2026-11-25T12:00:00Z} unless an epoch is given.
 *
 * <p>This source is also compiled into core's own tests, which cannot depend on the testkit (it
 * depends on core), so it uses nothing but core and the JDK (see the testkit's {@code pom.xml}).
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

  /**
   * Virtual time in which sleeping advances the clock and returns at once.
   *
   * @param epoch the wall-clock instant at virtual time zero
   * @return a new time source
   */
  public static VirtualTime autoAdvancing(Instant epoch) {
    return new VirtualTime(true, epoch);
  }

  /**
   * {@link #autoAdvancing(Instant)} from {@code 2026-11-25T12:00:00Z}.
   *
   * @return a new time source
   */
  public static VirtualTime autoAdvancing() {
    return autoAdvancing(Instant.parse("2026-11-25T12:00:00Z"));
  }

  /**
   * Virtual time that moves only when the test calls {@link #advance(Duration)}.
   *
   * @param epoch the wall-clock instant at virtual time zero
   * @return a new time source
   */
  public static VirtualTime manual(Instant epoch) {
    return new VirtualTime(false, epoch);
  }

  /**
   * {@link #manual(Instant)} from {@code 2026-11-25T12:00:00Z}.
   *
   * @return a new time source
   */
  public static VirtualTime manual() {
    return manual(Instant.parse("2026-11-25T12:00:00Z"));
  }

  @Override
  public synchronized long nanoTime() {
    return nanos;
  }

  /**
   * Virtual time elapsed since the start.
   *
   * @return the elapsed virtual time
   */
  public synchronized Duration elapsed() {
    return Duration.ofNanos(nanos);
  }

  /**
   * A UTC clock that reads this virtual time; give it to the simulator so that its rate-limit
   * windows, {@code Date} headers and journal follow the same time as the waits.
   *
   * @return a clock on this virtual time
   */
  @Override
  public Clock clock() {
    VirtualTime self = this;
    return new Clock() {
      @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
      @Override public Clock withZone(java.time.ZoneId zone) { return this; }
      @Override public Instant instant() { return self.instant(); }
    };
  }

  /**
   * The current virtual wall-clock instant: the epoch plus {@link #elapsed()}.
   *
   * @return the current instant
   */
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
   * every thread whose sleep fell due has woken up (waiting at most 5 s of real time for them), so
   * what they do next happens at the new time.
   *
   * @param by how far to move the clock
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

  /**
   * Blocks, in real time and at most {@code timeout}, until {@code count} threads are sleeping.
   *
   * @param count how many sleepers to wait for
   * @param timeout the real-time bound
   * @return whether that many were sleeping in time
   * @throws InterruptedException if the waiting thread is interrupted
   */
  public synchronized boolean awaitSleepers(int count, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (sleepers < count) {
      long left = deadline - System.nanoTime();
      if (left <= 0) return false;
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    return true;
  }

  /**
   * Blocks, in real time and at most {@code timeout}, until {@code count} tasks are pending (in
   * {@linkplain #manual() manual} mode; auto-advancing time runs tasks at once).
   *
   * @param count how many pending tasks to wait for
   * @param timeout the real-time bound
   * @return whether that many were pending in time
   * @throws InterruptedException if the waiting thread is interrupted
   */
  public synchronized boolean awaitScheduled(int count, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (tasks.size() < count) {
      long left = deadline - System.nanoTime();
      if (left <= 0) return false;
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    return true;
  }

  /**
   * Threads blocked in {@link #sleep(long, CancellationSignal)} now (manual mode).
   *
   * @return the number of sleeping threads
   */
  public synchronized int sleepingThreads() {
    return sleepers;
  }

  /**
   * Scheduled tasks not yet due (manual mode).
   *
   * @return the number of pending tasks
   */
  public synchronized int pendingTasks() {
    return tasks.size();
  }

  /**
   * Every sleep asked for, in order.
   *
   * @return the sleeps' lengths
   */
  public synchronized List<Duration> sleeps() {
    return sleeps.stream().map(Duration::ofNanos).toList();
  }

  /**
   * Every scheduling delay asked for, in order.
   *
   * @return the delays
   */
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
