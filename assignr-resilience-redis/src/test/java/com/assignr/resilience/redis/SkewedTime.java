package com.assignr.resilience.redis;

import com.assignr.resilience.spi.CancellationSignal;
import com.assignr.resilience.TimeSource;
import java.time.Clock;
import java.time.Duration;

/**
 * Real time as an instance with a wrong clock sees it: its wall clock is {@code skew} off and its
 * {@code nanoTime} has another origin, as two JVMs on two hosts do. Waits are real.
 */
final class SkewedTime implements TimeSource {
  private final TimeSource real = TimeSource.system();
  private final Duration skew;
  private final long nanoOrigin;

  SkewedTime(Duration skew, long nanoOrigin) {
    this.skew = skew;
    this.nanoOrigin = nanoOrigin;
  }

  @Override
  public long nanoTime() {
    return real.nanoTime() + nanoOrigin;
  }

  @Override
  public Clock clock() {
    return Clock.offset(real.clock(), skew);
  }

  @Override
  public void sleep(long nanos, CancellationSignal signal) throws InterruptedException {
    real.sleep(nanos, signal);
  }

  @Override
  public Cancellable schedule(Runnable task, long nanos) {
    return real.schedule(task, nanos);
  }
}
