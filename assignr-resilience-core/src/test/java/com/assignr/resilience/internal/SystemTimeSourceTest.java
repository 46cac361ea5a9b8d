package com.assignr.resilience.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.assignr.resilience.spi.CancellationSignal;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The real time source's sleep: one park until the wake-up time, woken by the watch on cancel. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SystemTimeSourceTest {

  /** A parker on a fake clock: parking advances it by what was asked; counts the parks. */
  private static final class CountingParker implements SystemTimeSource.Parker {
    long now;
    final AtomicInteger parks = new AtomicInteger();

    @Override public long nanoTime() { return now; }

    @Override public void parkNanos(Object blocker, long nanos) {
      parks.incrementAndGet();
      now += nanos;
    }
  }

  /** Before: the sleeper woke every 10 ms to look at its signal, 100 parks for one second. */
  @Test
  void aOneSecondWaitParksOnceInsteadOfPolling() throws InterruptedException {
    CountingParker parker = new CountingParker();
    SystemTimeSource time = new SystemTimeSource(parker, new CancellationWatch());
    CancellationSignal notCancelled = () -> false;
    time.sleep(TimeUnit.SECONDS.toNanos(1), notCancelled);
    assertEquals(1, parker.parks.get());
    assertEquals(TimeUnit.SECONDS.toNanos(1), parker.now);
  }

  @Test
  void theWatchUnparksOnlyCancelledSleepersAndForgetsThemAfterwards() throws InterruptedException {
    CancellationWatch watch = new CancellationWatch();
    AtomicBoolean cancelled = new AtomicBoolean();
    SystemTimeSource time = new SystemTimeSource(new SystemTimeSource.Parker() {
      @Override public long nanoTime() { return System.nanoTime(); }
      @Override public void parkNanos(Object blocker, long nanos) { java.util.concurrent.locks.LockSupport.parkNanos(blocker, nanos); }
    }, watch);
    Thread sleeper = new Thread(() -> {
      try {
        time.sleep(TimeUnit.MINUTES.toNanos(10), cancelled::get);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    sleeper.start();
    while (watch.watched() == 0 && sleeper.isAlive()) Thread.onSpinWait();
    assertEquals(0, watch.pollOnce(), "nothing cancelled yet: nobody is woken");
    cancelled.set(true);
    sleeper.join(TimeUnit.SECONDS.toMillis(10)); // the watch's own thread wakes it within a poll
    assertFalse(sleeper.isAlive(), "a ten-minute wait ended on cancellation");
    assertEquals(0, watch.watched(), "the sleeper unregistered");
  }

  @Test
  void anInterruptEndsTheWaitAtOnce() throws InterruptedException {
    SystemTimeSource time = SystemTimeSource.INSTANCE;
    AtomicBoolean interrupted = new AtomicBoolean();
    Thread sleeper = new Thread(() -> {
      try {
        time.sleep(TimeUnit.MINUTES.toNanos(10), CancellationSignal.NEVER);
      } catch (InterruptedException e) {
        interrupted.set(true);
      }
    });
    sleeper.start();
    while (sleeper.getState() != Thread.State.TIMED_WAITING && sleeper.isAlive()) Thread.onSpinWait();
    sleeper.interrupt();
    sleeper.join(TimeUnit.SECONDS.toMillis(10));
    assertTrue(interrupted.get());
  }
}
