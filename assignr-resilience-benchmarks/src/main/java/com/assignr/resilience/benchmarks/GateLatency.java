package com.assignr.resilience.benchmarks;

import com.assignr.resilience.GatePolicy;
import com.assignr.resilience.spi.GateStore;
import com.assignr.resilience.spi.Admission;
import com.assignr.resilience.spi.Permit;
import com.assignr.resilience.spi.RateLimitGate;
import com.assignr.resilience.RateLimitInfo;
import com.assignr.resilience.RetryListener;
import com.assignr.resilience.TimeSource;
import com.assignr.resilience.redis.RedisGateStore;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import redis.embedded.RedisServer;

/**
 * What one admission costs, without HTTP: threads that admit an attempt, answer it at once and
 * admit the next, on a budget that never runs out, through the in-process gate and through the
 * Redis gate (one {@code EVALSHA} per admission, the answer sent without waiting), against a
 * redis-server on loopback. The fleet race measures the same inside its bursts, where the HTTP
 * traffic competes for the cores; this is the floor.
 */
@Command(name = "gate-latency", mixinStandardHelpOptions = true,
    description = "Admission latency of the in-process gate and the Redis gate.")
public final class GateLatency implements Callable<Integer> {
  @Option(names = "--threads", defaultValue = "1,4", split = ",", description = "thread counts (default ${DEFAULT-VALUE})")
  List<Integer> threads;

  @Option(names = "--admissions", defaultValue = "5000", description = "per thread and round (default ${DEFAULT-VALUE})")
  int admissions;

  @Option(names = "--rounds", defaultValue = "3", description = "rounds; the first warms up and is not reported (default ${DEFAULT-VALUE})")
  int rounds;

  public static void main(String[] args) {
    if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    }
    int exit = new CommandLine(new GateLatency()).execute(args);
    if (exit != 0) System.exit(exit);
  }

  @Override
  public Integer call() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    RedisServer redis = RedisServer.builder().port(port).setting("bind 127.0.0.1").setting("save \"\"").build();
    redis.start();
    try (RedisGateStore store = RedisGateStore.builder().uri("redis://127.0.0.1:" + port)
        .timeout(Duration.ofSeconds(1)).build()) {
      System.out.printf(Locale.ROOT, "%-10s %7s %6s %9s %9s %9s%n", "gate", "threads", "round", "p50 us", "p99 us", "max us");
      for (int n : threads) {
        for (GateStore s : List.of(GateStore.local(), store)) {
          RateLimitGate gate = s.gate(new GateStore.Context("latency:" + n + ":" + System.nanoTime(),
              GatePolicy.defaults(), Duration.ofSeconds(1), TimeSource.system(), RetryListener.NONE));
          for (int round = 0; round < rounds; round++) {
            long[] t = measure(gate, n);
            if (round == 0) continue;
            System.out.printf(Locale.ROOT, "%-10s %7d %6d %9.1f %9.1f %9.1f%n", s == store ? "redis" : "local", n, round,
                t[t.length / 2] / 1e3, t[(int) (t.length * 0.99)] / 1e3, t[t.length - 1] / 1e3);
          }
        }
      }
    } finally {
      redis.stop();
    }
    return 0;
  }

  private long[] measure(RateLimitGate gate, int n) throws InterruptedException {
    RateLimitInfo plenty = RateLimitInfo.from(name -> switch (name) {
      case RateLimitInfo.REMAINING -> "900000";
      case RateLimitInfo.RESET_SECONDS_REMAINING -> "3600";
      default -> null;
    });
    ConcurrentLinkedQueue<long[]> all = new ConcurrentLinkedQueue<>();
    List<Thread> workers = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Thread w = new Thread(() -> {
        long[] mine = new long[admissions];
        for (int k = 0; k < admissions; k++) {
          long start = System.nanoTime();
          Admission answer = gate.tryAcquire(start, Long.MAX_VALUE);
          mine[k] = System.nanoTime() - start;
          if (answer instanceof Permit permit) permit.onResponse(200, plenty, System.nanoTime());
        }
        all.add(mine);
      });
      w.start();
      workers.add(w);
    }
    for (Thread w : workers) w.join();
    long[] merged = all.stream().flatMapToLong(Arrays::stream).toArray();
    Arrays.sort(merged);
    return merged;
  }
}
