package com.assignr.resilience.benchmarks;

import com.assignr.resilience.spi.CancellationSignal;
import com.assignr.resilience.TimeSource;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * What a blocking wait costs while nothing happens, and how soon cancellation ends it: N threads
 * wait through {@link TimeSource#system()} (park until the wake-up time, one watcher polling the
 * signals), against the same N through a baseline that polls its signal every 10 ms (what the
 * wave-1 sleeper did), in the same run. For each: process CPU time over the hold, then the time
 * from cancelling every signal to the last thread waking.
 */
@Command(name = "wait-cost", mixinStandardHelpOptions = true,
    description = "CPU burned by threads waiting to retry, and cancellation latency.")
public final class WaitCost implements Callable<Integer> {
  @Option(names = "--threads", defaultValue = "500", description = "waiting threads (default ${DEFAULT-VALUE})")
  int threads;

  @Option(names = "--hold-ms", defaultValue = "5000", description = "how long they wait before being cancelled (default ${DEFAULT-VALUE})")
  long holdMillis;

  /** The wave-1 sleeper: wakes every 10 ms to look at its signal. */
  private static void pollingSleep(long nanos, CancellationSignal signal) {
    long deadline = System.nanoTime() + nanos;
    for (long left = nanos; left > 0; left = deadline - System.nanoTime()) {
      if (signal.isCancelled()) return;
      LockSupport.parkNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(10)));
    }
  }

  interface Sleeper {
    void sleep(long nanos, CancellationSignal signal) throws InterruptedException;
  }

  record Result(String name, double cpuSecondsPerSecond, double p50Millis, double maxMillis) {}

  Result measure(String name, Sleeper sleeper) throws InterruptedException {
    AtomicBoolean cancelled = new AtomicBoolean();
    CountDownLatch started = new CountDownLatch(threads);
    long[] woke = new long[threads];
    List<Thread> all = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      int index = i;
      Thread t = new Thread(() -> {
        started.countDown();
        try {
          sleeper.sleep(TimeUnit.MINUTES.toNanos(10), cancelled::get);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        woke[index] = System.nanoTime();
      });
      t.setDaemon(true);
      t.start();
      all.add(t);
    }
    started.await();
    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(300)); // let every thread reach its wait
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long cpu0 = os.getProcessCpuTime();
    long t0 = System.nanoTime();
    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(holdMillis));
    double cpu = (os.getProcessCpuTime() - cpu0) / 1e9 / ((System.nanoTime() - t0) / 1e9);
    long cancelledAt = System.nanoTime();
    cancelled.set(true);
    for (Thread t : all) t.join(TimeUnit.SECONDS.toMillis(30));
    double[] latencies = Arrays.stream(woke).mapToDouble(w -> (w - cancelledAt) / 1e6).sorted().toArray();
    return new Result(name, cpu, latencies[latencies.length / 2], latencies[latencies.length - 1]);
  }

  @Override
  public Integer call() throws InterruptedException {
    TimeSource system = TimeSource.system();
    List<Result> results = new ArrayList<>();
    for (int round = 0; round < 2; round++) { // two rounds, alternating, for the noise
      results.add(measure("polling every 10 ms (wave 1)", (n, s) -> pollingSleep(n, s)));
      results.add(measure("TimeSource.system() (park + watcher)", system::sleep));
    }
    System.out.printf(Locale.ROOT, "%d waiting threads, %d ms hold%n", threads, holdMillis);
    System.out.println("| sleeper | CPU-s per s while waiting | cancel → woken p50 | max |");
    System.out.println("|---|---:|---:|---:|");
    for (Result r : results) {
      System.out.printf(Locale.ROOT, "| %s | %.3f | %.1f ms | %.1f ms |%n", r.name, r.cpuSecondsPerSecond,
          r.p50Millis, r.maxMillis);
    }
    return 0;
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new WaitCost()).execute(args));
  }
}
