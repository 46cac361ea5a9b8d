package com.assignr.resilience.benchmarks;

import com.assignr.resilience.testkit.AssignrSimulator;
import com.assignr.resilience.testkit.JournalEntry;
import com.assignr.resilience.testkit.RateLimitRule;
import com.assignr.resilience.testkit.SimulatorStats;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The goodput race: the same workload against the testkit's Assignr simulator, once per strategy,
 * all at the same time against separate simulators that share one clock, so that every strategy
 * starts at the same boundary of the same windows and meets the same machine noise.
 *
 * <h2>Why these windows</h2>
 *
 * <p>Assignr's rules are 180 per 60 s and 500 per 300 s (and 5000 per hour): the short rule binds
 * first, and after two and a bit full minutes (500 / 180 = 2.8 short windows) the long one binds
 * until its own reset. The race compresses time and keeps both effects: <b>60 per 20 s</b> and
 * <b>150 per 60 s</b> (150 / 60 = 2.5 short windows): per minute, two full short windows and a
 * third cut to 30 by the long rule, whose 429s then say "wait for the minute", not "for the 20 s".
 * Windows of 20 s keep the headers' one-second resolution (and the one-second margin every
 * careful client adds for it) at 5 % of a window rather than dominating it, and 280 requests from
 * 8 threads cross five boundaries, each rule binding in turn, in an ideal 100 s, so the whole race
 * ends in about two minutes.
 *
 * <p>Writes {@code goodput.csv} ({@code strategy,requests,succeeded,http429,attempts,makespan_s,
 * ideal_s}) and {@code goodput.png}, and prints a table with the ratios.
 */
@Command(name = "goodput-race", mixinStandardHelpOptions = true,
    description = "Races retry strategies against the Assignr simulator's rate limits.")
public final class GoodputRace implements Callable<Integer> {
  @Option(names = "--requests", defaultValue = "280", description = "GETs per strategy (default ${DEFAULT-VALUE})")
  int requests;

  @Option(names = "--threads", defaultValue = "8", description = "threads per strategy (default ${DEFAULT-VALUE})")
  int threads;

  @Option(names = "--rules", defaultValue = "60/20,150/60", split = ",",
      description = "windows as LIMIT/SECONDS (default ${DEFAULT-VALUE})")
  List<String> rules;

  @Option(names = "--time-limit-s", defaultValue = "240", description = "stop starting requests after this (default ${DEFAULT-VALUE})")
  long timeLimitSeconds;

  @Option(names = "--backoff-max-ms", defaultValue = "15000", description = "peers' backoff cap (default ${DEFAULT-VALUE})")
  long backoffMaxMillis;

  @Option(names = "--reserve", defaultValue = "0", description = "ours-gate rateLimitReserve (default ${DEFAULT-VALUE})")
  int reserve;

  @Option(names = "--margin-ms", defaultValue = "1000", description = "ours-gate rateLimitMargin (default ${DEFAULT-VALUE})")
  long marginMillis;

  @Option(names = "--jitter-ms", defaultValue = "1000", description = "ours-gate rateLimitJitter (default ${DEFAULT-VALUE})")
  long jitterMillis;

  @Option(names = "--release-spacing-ms", defaultValue = "20", description = "ours-gate gateReleaseSpacing (default ${DEFAULT-VALUE})")
  long releaseSpacingMillis;

  @Option(names = "--strategies", split = ",", description = "only these strategies (default: all)")
  List<String> only;

  @Option(names = "--out", description = "output directory (default: assignr-resilience-benchmarks/target from the repo root, else target)")
  Path out;

  public static void main(String[] args) {
    // WireMock's Jetty logs every start and stop at INFO; keep the race's own output readable.
    if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    }
    int exit = new CommandLine(new GoodputRace()).execute(args);
    if (exit != 0) System.exit(exit); // returning normally keeps `mvn exec:java` alive to report
  }

  @Override
  public Integer call() throws Exception {
    Path dir = out != null ? out
        : Files.isDirectory(Path.of("assignr-resilience-benchmarks"))
            ? Path.of("assignr-resilience-benchmarks", "target") : Path.of("target");
    List<RateLimitRule> parsed = new ArrayList<>();
    for (String rule : rules) {
      String[] parts = rule.trim().split("/");
      parsed.add(RateLimitRule.of(Long.parseLong(parts[0]), Duration.ofSeconds(Long.parseLong(parts[1]))));
    }
    RaceSettings settings = new RaceSettings(requests, threads, parsed, Duration.ofSeconds(timeLimitSeconds),
        Duration.ofMillis(backoffMaxMillis), dir, reserve, Duration.ofMillis(marginMillis),
        Duration.ofMillis(jitterMillis), Duration.ofMillis(releaseSpacingMillis));
    List<RaceStrategy> strategies = new ArrayList<>();
    for (RaceStrategy strategy : RaceStrategy.values()) {
      if (only == null || only.contains(strategy.label)) strategies.add(strategy);
    }
    List<RaceResult> results = run(settings, strategies);
    System.out.println(table(settings, results));
    return 0;
  }

  /** Runs every strategy at once, writes goodput.csv and goodput.png, and returns the rows. */
  static List<RaceResult> run(RaceSettings s, List<RaceStrategy> strategies) throws Exception {
    Files.createDirectories(s.outDir());
    RaceClock clock = new RaceClock();
    List<Lane> lanes = new ArrayList<>();
    CountDownLatch start = new CountDownLatch(1);
    AtomicLong startNanos = new AtomicLong();
    try {
      for (RaceStrategy strategy : strategies) {
        lanes.add(new Lane(strategy, s, clock, start, startNanos));
      }
      // Start every strategy at the same boundary of the longest window, on the simulators' clock.
      long period = s.longestPeriodMillis();
      long nowMillis = System.currentTimeMillis();
      clock.offsetMillis = (Math.floorDiv(nowMillis, period) + 1) * period - nowMillis;
      Instant startInstant = clock.instant();
      startNanos.set(System.nanoTime());
      start.countDown();
      for (Lane lane : lanes) lane.await(s.timeLimit().plusSeconds(120));
      List<RaceResult> results = new ArrayList<>();
      for (Lane lane : lanes) results.add(lane.result(s, startInstant, startNanos.get()));
      writeCsv(s.outDir().resolve("goodput.csv"), results);
      double until = results.stream().mapToDouble(RaceResult::makespanSeconds).max().orElse(0) + 20;
      GoodputChart.write(results, IdealSchedule.capacityCurve(s.rules(), startInstant, until),
          s.outDir().resolve("goodput.png"));
      return results;
    } finally {
      for (Lane lane : lanes) lane.close();
    }
  }

  static void writeCsv(Path csv, List<RaceResult> results) throws IOException {
    List<String> lines = new ArrayList<>();
    lines.add("strategy,requests,succeeded,http429,attempts,makespan_s,ideal_s");
    for (RaceResult r : results) lines.add(r.csvRow());
    Files.write(csv, lines);
  }

  static String table(RaceSettings s, List<RaceResult> results) {
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT, "%d GETs, %d threads, windows %s; ours-gate: reserve %d, margin %d ms,"
            + " jitter %d ms, release spacing %d ms%n", s.requests(), s.threads(), s.rules(), s.reserve(),
        s.margin().toMillis(), s.jitter().toMillis(), s.releaseSpacing().toMillis()));
    b.append(String.format(Locale.ROOT, "%-26s %8s %9s %7s %8s %10s %7s %7s %8s %7s %9s%n", "strategy", "requests",
        "succeeded", "http429", "attempts", "makespan_s", "ideal_s", "x ideal", "crossed", "retries", "gateWaits"));
    for (RaceResult r : results) {
      b.append(String.format(Locale.ROOT, "%-26s %8d %9d %7d %8d %10.2f %7.2f %7.3f %8d %7s %9s%n", r.strategy(),
          r.requests(), r.succeeded(), r.http429(), r.attempts(), r.makespanSeconds(), r.idealSeconds(),
          r.idealSeconds() > 0 ? r.makespanSeconds() / r.idealSeconds() : Double.NaN, r.windowsCrossed(),
          r.retries() < 0 ? "-" : Long.toString(r.retries()), r.gateWaits() < 0 ? "-" : Long.toString(r.gateWaits())));
    }
    for (RaceResult r : results) {
      if (!r.failures().isEmpty()) b.append(r.strategy()).append(" unsuccessful calls: ").append(r.failures()).append('\n');
    }
    b.append("Output: ").append(s.outDir().resolve("goodput.csv")).append(", ")
        .append(s.outDir().resolve("goodput.png"));
    return b.toString();
  }

  /** One strategy: its simulator, its client and its threads. */
  private static final class Lane implements AutoCloseable {
    final RaceStrategy strategy;
    final AssignrSimulator simulator;
    final RaceStrategy.Caller caller;
    final OkHttpClient base;
    final CountDownLatch done;
    final AtomicInteger next = new AtomicInteger();
    final AtomicInteger succeeded = new AtomicInteger();
    final AtomicLong lastEnd = new AtomicLong();
    final List<Thread> workers = new ArrayList<>();

    Lane(RaceStrategy strategy, RaceSettings s, Clock clock, CountDownLatch start, AtomicLong startNanos) {
      this.strategy = strategy;
      this.simulator = AssignrSimulator.builder().clock(clock).rateLimits(s.rules()).start();
      this.base = new OkHttpClient.Builder().callTimeout(s.timeLimit()).build();
      this.caller = strategy.create(s, base);
      this.done = new CountDownLatch(s.threads());
      String baseUrl = simulator.baseUrl();
      for (int t = 0; t < s.threads(); t++) {
        Thread worker = new Thread(() -> {
          try {
            start.await();
            long deadline = startNanos.get() + s.timeLimit().toNanos();
            for (int i = next.getAndIncrement(); i < s.requests(); i = next.getAndIncrement()) {
              if (System.nanoTime() - deadline > 0) break;
              Request request = new Request.Builder()
                  .url(baseUrl + "/sites/1/games?page=" + (i % 5 + 1))
                  .header("Authorization", "Bearer race")
                  .header("Accept", AssignrSimulator.MEDIA_TYPE)
                  .build();
              if (caller.call(request) == 200) succeeded.incrementAndGet();
              lastEnd.accumulateAndGet(System.nanoTime(), Math::max);
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          } finally {
            done.countDown();
          }
        }, "race-" + strategy.label + "-" + t);
        worker.setDaemon(true);
        worker.start();
        workers.add(worker);
      }
    }

    void await(Duration limit) throws InterruptedException {
      if (!done.await(limit.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException(strategy.label + " did not finish within " + limit);
      }
    }

    RaceResult result(RaceSettings s, Instant startInstant, long startNanos) {
      SimulatorStats stats = simulator.stats();
      List<Double> ok = new ArrayList<>();
      List<Double> limited = new ArrayList<>();
      for (JournalEntry e : simulator.journal().entries()) {
        double t = Duration.between(startInstant, e.arrivedAt()).toNanos() / 1e9;
        if (e.status() == 200) ok.add(t);
        else if (e.status() == 429) limited.add(t);
      }
      double makespan = (lastEnd.get() - startNanos) / 1e9;
      double ideal = IdealSchedule.idealSeconds(s.rules(), startInstant, s.requests());
      boolean ours = strategy.name().startsWith("OURS");
      return new RaceResult(strategy.label, s.requests(), succeeded.get(), stats.rateLimited(),
          stats.totalRequests(), makespan, ideal, IdealSchedule.windowsCrossed(s.rules(), startInstant, makespan),
          ours ? caller.retries.sum() : -1, ours ? caller.gateWaits.sum() : -1, failures(), ok, limited);
    }

    private Map<String, Long> failures() {
      Map<String, Long> copy = new TreeMap<>();
      caller.failures.forEach((k, v) -> copy.put(k, v.sum()));
      return copy;
    }

    @Override
    public void close() {
      for (OkHttpClient c : new OkHttpClient[] {base, caller.client}) {
        c.dispatcher().executorService().shutdown();
        c.connectionPool().evictAll();
      }
      simulator.close();
    }
  }

  /** The system clock moved by an offset set once, just before the start. */
  static final class RaceClock extends Clock {
    volatile long offsetMillis;

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(System.currentTimeMillis() + offsetMillis);
    }
  }
}
