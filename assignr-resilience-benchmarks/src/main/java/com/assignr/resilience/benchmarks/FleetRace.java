package com.assignr.resilience.benchmarks;

import com.assignr.resilience.GatePolicy;
import com.assignr.resilience.testkit.AssignrSimulator;
import com.assignr.resilience.testkit.JournalEntry;
import com.assignr.resilience.testkit.RateLimitRule;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import redis.embedded.RedisServer;

/**
 * The fleet race: several JVM processes (default 4, 4 threads each) split one job against one
 * simulated Assignr account, with the goodput race's windows (60 per 20 s, 150 per 60 s). Once per
 * strategy, all strategies at the same time against separate simulators that share one clock (so
 * each meets the same windows and the same machine noise): each JVM with its own in-process gate,
 * the fleet sharing one gate in Redis, and bucket4j's Redis-backed limiter configured with the
 * documented limits. A second variant adds the account's other traffic, a "web app" sending one
 * request every {@code --webapp-every-ms} during the race, which the in-process gates learn about
 * only from the headers and bucket4j not at all. A third, {@code loaded}, is the web app variant on
 * a busy host: {@code --busy-loops} threads spin on the CPU beside the race, in a JVM of their own
 * ({@link BusyLoops}, so the coordinator is not starved more than the workers), started before the
 * workers and destroyed when the variant's race ends, however it ends. The variants run in turn,
 * {@code quiet} and {@code webapp} by default.
 *
 * <p>Per strategy: requests, succeeded, the fleet's 429s and attempts (the web app's apart), makespan ÷ ideal (the ideal counts the
 * web app's requests that the server served too), and how long an admission that went at once took (p50, p99): the
 * latency the shared gate adds to each request, against the in-process gate's.
 *
 * <p>Writes {@code fleet.csv} (one row per variant and strategy), a chart per variant
 * ({@code fleet.png} for quiet, {@code fleet-webapp.png}, {@code fleet-loaded.png}) and prints a table.
 * Redis is the binary that {@code org.signal:embedded-redis} ships, on a random loopback port.
 */
@Command(name = "fleet-race", mixinStandardHelpOptions = true,
    description = "Races several JVMs on one Assignr account: local gates, the Redis gate, bucket4j.")
public final class FleetRace implements Callable<Integer> {
  /** What the web app reads (the fleet reads games): how the journal tells them apart. */
  static final String WEB_APP_PATH = "/current_account";

  /** The variants, in the order the option's description names them. */
  static final List<String> VARIANTS = List.of("quiet", "webapp", "loaded");

  @Option(names = "--jvms", defaultValue = "4", description = "JVM processes per strategy (default ${DEFAULT-VALUE})")
  int jvms;

  @Option(names = "--threads", defaultValue = "4", description = "threads per JVM (default ${DEFAULT-VALUE})")
  int threads;

  @Option(names = "--requests", defaultValue = "280", description = "GETs per strategy, split across the JVMs (default ${DEFAULT-VALUE})")
  int requests;

  @Option(names = "--rules", defaultValue = "60/20,150/60", description = "windows as LIMIT/SECONDS,... (default ${DEFAULT-VALUE})")
  String rules;

  @Option(names = "--time-limit-s", defaultValue = "240", description = "no request starts after this (default ${DEFAULT-VALUE})")
  long timeLimitSeconds;

  @Option(names = "--webapp-every-ms", defaultValue = "2000",
      description = "the webapp and loaded variants: one request every this often (default ${DEFAULT-VALUE}: 10 of each 20 s window)")
  long webAppEveryMillis;

  @Option(names = "--variants", defaultValue = "quiet,webapp", split = ",", description = "quiet, webapp, loaded"
      + " (loaded = webapp on a busy host: the web app's traffic plus --busy-loops spinning threads; default ${DEFAULT-VALUE})")
  List<String> variants;

  @Option(names = "--busy-loops", defaultValue = "4", description = "the loaded variant: threads spinning on the CPU"
      + " in a JVM of their own while the fleet and the web app race (default ${DEFAULT-VALUE})")
  int busyLoops;

  @Option(names = "--redis-timeout-ms", defaultValue = "50",
      description = "the Redis gate store's timeout (default ${DEFAULT-VALUE}, the store's default)")
  long redisTimeoutMillis;

  @Option(names = "--together", description = "run the strategies at the same time (default: one after the other:"
      + " 2 cores cannot run 12 JVMs without 50 ms stalls)")
  boolean together;

  @Option(names = "--strategies", split = ",", description = "only these (default: all)")
  List<String> only;

  @Option(names = "--out", description = "output directory (default: assignr-resilience-benchmarks/target from the repo root, else target)")
  Path out;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  /** One run's workload. */
  record Settings(int jvms, int threads, int requests, String rules, Duration timeLimit, long webAppEveryMillis,
      List<String> variants, List<FleetStrategy> strategies, Path outDir, long redisTimeoutMillis, boolean together,
      int busyLoops) {
    Settings {
      variants = List.copyOf(variants);
      for (String v : variants) {
        if (!VARIANTS.contains(v)) {
          throw new IllegalArgumentException("--variants: unknown variant '" + v + "' (known: " + String.join(", ", VARIANTS) + ")");
        }
      }
      if (busyLoops < 1) throw new IllegalArgumentException("--busy-loops must be at least 1, was " + busyLoops);
    }

    /** The web app sends its requests in this variant: {@code webapp}, and {@code loaded} (the web app on a busy host). */
    static boolean withWebApp(String variant) {
      return variant.equals("webapp") || variant.equals("loaded");
    }

    /** How many threads spin beside the race in this variant (0: none). */
    int busyLoopsFor(String variant) {
      return variant.equals("loaded") ? busyLoops : 0;
    }

    List<RateLimitRule> rateLimitRules() {
      return parseRules(rules).stream().map(r -> RateLimitRule.of(r[0], Duration.ofSeconds(r[1]))).toList();
    }

    /**
     * The windows as the fleet may use them: each limit less what the default gate leaves unused
     * ({@code GatePolicy.reserveFor}: the reserve, or the people's share of the limit).
     */
    List<RateLimitRule> fleetShareRules() {
      GatePolicy policy = GatePolicy.defaults();
      return parseRules(rules).stream()
          .map(r -> RateLimitRule.of(r[0] - policy.reserveFor(r[0]), Duration.ofSeconds(r[1]))).toList();
    }

    long longestPeriodMillis() {
      return parseRules(rules).stream().mapToLong(r -> r[1] * 1000).max().orElse(1000);
    }
  }

  /** One strategy's row: the race's result plus the web app's requests and the admission latency. */
  record Row(String variant, FleetStrategy strategy, RaceResult race, int webAppRequests, int webAppRefused,
      long[] admissionMicros, long retries, long degraded, double idealShareSeconds) {
    double p(double quantile) {
      if (admissionMicros.length == 0) return Double.NaN;
      long[] sorted = admissionMicros.clone();
      Arrays.sort(sorted);
      return sorted[Math.min(sorted.length - 1, (int) Math.ceil(quantile * sorted.length) - 1)];
    }
  }

  public static void main(String[] args) {
    if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    }
    int exit = new CommandLine(new FleetRace()).execute(args);
    if (exit != 0) System.exit(exit);
  }

  @Override
  public Integer call() throws Exception {
    Path dir = out != null ? out
        : Files.isDirectory(Path.of("assignr-resilience-benchmarks"))
            ? Path.of("assignr-resilience-benchmarks", "target") : Path.of("target");
    List<FleetStrategy> strategies = new ArrayList<>();
    for (FleetStrategy s : FleetStrategy.values()) if (only == null || only.contains(s.label)) strategies.add(s);
    Settings settings;
    try {
      settings = new Settings(jvms, threads, requests, rules, Duration.ofSeconds(timeLimitSeconds),
          webAppEveryMillis, variants, strategies, dir, redisTimeoutMillis, together, busyLoops);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    List<Row> rows = run(settings);
    System.out.println(table(settings, rows));
    return 0;
  }

  static List<long[]> parseRules(String rules) {
    List<long[]> parsed = new ArrayList<>();
    for (String rule : rules.split(",")) {
      String[] parts = rule.trim().split("/");
      parsed.add(new long[] {Long.parseLong(parts[0]), Long.parseLong(parts[1])});
    }
    return parsed;
  }

  /** Runs every variant in turn (the strategies of one variant at once) and writes the outputs. */
  static List<Row> run(Settings s) throws Exception {
    Files.createDirectories(s.outDir());
    RedisServer redis = startRedis();
    int port = redis.ports().get(0);
    List<Row> rows = new ArrayList<>();
    try {
      for (String variant : s.variants()) {
        List<Row> variantRows = race(s, variant, "redis://127.0.0.1:" + port);
        rows.addAll(variantRows);
        List<RaceResult> results = variantRows.stream().map(Row::race).toList();
        Instant start = Instant.ofEpochMilli(0); // the chart's curve only needs the windows' phase
        double until = results.stream().mapToDouble(RaceResult::makespanSeconds).max().orElse(0) + 20;
        GoodputChart.write(results, IdealSchedule.capacityCurve(s.rateLimitRules(), start, until),
            s.outDir().resolve(chartName(variant)));
      }
    } finally {
      redis.stop();
    }
    writeCsv(s.outDir().resolve("fleet.csv"), s, rows);
    return rows;
  }

  /** The variant's chart: {@code fleet.png} for quiet, else {@code fleet-<variant>.png}. */
  static String chartName(String variant) {
    return variant.equals("quiet") ? "fleet.png" : "fleet-" + variant + ".png";
  }

  private static List<Row> race(Settings s, String variant, String redisUri) throws Exception {
    if (s.together()) return race(s, variant, redisUri, s.strategies());
    List<Row> rows = new ArrayList<>();
    for (FleetStrategy strategy : s.strategies()) rows.addAll(race(s, variant, redisUri, List.of(strategy)));
    return rows;
  }

  private static List<Row> race(Settings s, String variant, String redisUri, List<FleetStrategy> strategies)
      throws Exception {
    GoodputRace.RaceClock clock = new GoodputRace.RaceClock();
    List<Lane> lanes = new ArrayList<>();
    // Started before the workers, so they start, warm up and race on a host already busy.
    BusyLoops.Load load = s.busyLoopsFor(variant) > 0
        ? BusyLoops.Load.start(javaBinary(), classPath(), s.busyLoopsFor(variant)) : null;
    try {
      for (FleetStrategy strategy : strategies) lanes.add(new Lane(s, variant, strategy, clock, redisUri));
      for (Lane lane : lanes) lane.awaitReady();
      long period = s.longestPeriodMillis();
      long nowMillis = System.currentTimeMillis();
      clock.offsetMillis = (Math.floorDiv(nowMillis, period) + 1) * period - nowMillis;
      Instant startInstant = clock.instant();
      long goMillis = System.currentTimeMillis();
      for (Lane lane : lanes) lane.go(goMillis, Settings.withWebApp(variant) ? s.webAppEveryMillis() : 0);
      List<Row> rows = new ArrayList<>();
      for (Lane lane : lanes) rows.add(lane.finish(s, startInstant, goMillis));
      return rows;
    } finally {
      try {
        for (Lane lane : lanes) lane.close();
      } finally {
        if (load != null) load.close();
      }
    }
  }

  /** One strategy: its simulator and its JVMs. */
  private static final class Lane implements AutoCloseable {
    final String variant;
    final FleetStrategy strategy;
    final AssignrSimulator simulator;
    final List<Process> workers = new ArrayList<>();
    final List<CompletableFuture<List<String>>> outputs = new ArrayList<>();
    final List<CompletableFuture<Void>> ready = new ArrayList<>();
    final AtomicInteger webAppRequests = new AtomicInteger();
    volatile boolean finished;
    Thread webApp;

    Lane(Settings s, String variant, FleetStrategy strategy, java.time.Clock clock, String redisUri) throws IOException {
      this.variant = variant;
      this.strategy = strategy;
      this.simulator = AssignrSimulator.builder().clock(clock).rateLimits(s.rateLimitRules()).start();
      String quota = "fleet-race:" + variant + ":" + strategy.label + ":" + System.nanoTime();
      for (int i = 0; i < s.jvms(); i++) {
        int share = s.requests() / s.jvms() + (i < s.requests() % s.jvms() ? 1 : 0);
        List<String> command = new ArrayList<>(List.of(javaBinary(), "-cp", classPath(), "-XX:+UseSerialGC", "-Xmx256m",
            "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", FleetWorker.class.getName(), strategy.name(),
            simulator.baseUrl(), redisUri, quota, Integer.toString(s.threads()), Integer.toString(share), s.rules(),
            Long.toString(s.timeLimit().toSeconds()), Long.toString(s.redisTimeoutMillis())));
        Path log = s.outDir().resolve("fleet-" + variant + "-" + strategy.label + "-" + i + ".log");
        Process p;
        try {
          p = new ProcessBuilder(command).redirectError(log.toFile()).start();
        } catch (IOException | RuntimeException e) {
          close(); // the workers started so far, and the simulator: the caller never sees this lane
          throw e;
        }
        workers.add(p);
        CompletableFuture<Void> isReady = new CompletableFuture<>();
        ready.add(isReady);
        outputs.add(CompletableFuture.supplyAsync(() -> readAll(p, isReady)));
      }
    }

    private static List<String> readAll(Process p, CompletableFuture<Void> isReady) {
      List<String> lines = new ArrayList<>();
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          if (line.equals("READY")) isReady.complete(null);
          else lines.add(line);
        }
      } catch (IOException e) {
        isReady.completeExceptionally(e);
      }
      isReady.completeExceptionally(new IllegalStateException("a worker ended before READY: " + lines));
      return lines;
    }

    void awaitReady() throws Exception {
      for (CompletableFuture<Void> r : ready) r.get(120, TimeUnit.SECONDS);
    }

    void go(long goMillis, long webAppEveryMillis) throws IOException {
      for (Process p : workers) {
        PrintStream in = new PrintStream(p.getOutputStream(), true, StandardCharsets.UTF_8);
        in.println("GO " + goMillis);
      }
      if (webAppEveryMillis > 0) {
        webApp = new Thread(() -> webApp(webAppEveryMillis), "webapp-" + strategy.label);
        webApp.setDaemon(true);
        webApp.start();
      }
    }

    /** The account's other traffic: one plain request every interval, no retries, no gate. */
    private void webApp(long everyMillis) {
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      HttpRequest request = HttpRequest.newBuilder(URI.create(simulator.baseUrl() + WEB_APP_PATH))
          .header("Authorization", "Bearer webapp").header("Accept", AssignrSimulator.MEDIA_TYPE).build();
      long next = System.nanoTime();
      while (!finished) {
        try {
          // Only what the server counted takes from the fleet's windows (a refused request does not).
          if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
            webAppRequests.incrementAndGet();
          }
          next += TimeUnit.MILLISECONDS.toNanos(everyMillis);
          long wait = next - System.nanoTime();
          if (wait > 0) TimeUnit.NANOSECONDS.sleep(wait); // the benchmark's own load generator, real time
        } catch (InterruptedException e) {
          return;
        } catch (IOException e) {
          // the simulator is closing
          return;
        }
      }
    }

    Row finish(Settings s, Instant startInstant, long goMillis) throws Exception {
      int succeeded = 0;
      long lastEndMicros = goMillis * 1000;
      long retries = 0;
      long degraded = 0;
      List<Long> admission = new ArrayList<>();
      List<String> failures = new ArrayList<>();
      for (CompletableFuture<List<String>> output : outputs) {
        for (String line : output.get(s.timeLimit().toSeconds() + 120, TimeUnit.SECONDS)) {
          if (line.startsWith("RESULT ")) {
            Map<String, String> fields = Arrays.stream(line.substring(7).split(" ", 5))
                .map(f -> f.split("=", 2)).collect(Collectors.toMap(f -> f[0], f -> f.length > 1 ? f[1] : ""));
            succeeded += Integer.parseInt(fields.get("succeeded"));
            lastEndMicros = Math.max(lastEndMicros, Long.parseLong(fields.get("lastEndMicros")));
            retries += Long.parseLong(fields.get("retries"));
            degraded += Long.parseLong(fields.get("degraded"));
            if (!fields.get("failures").isEmpty()) failures.addAll(List.of(fields.get("failures").split("\\|")));
          } else if (line.startsWith("LATENCY")) {
            for (String v : line.substring(7).trim().split(" ")) if (!v.isEmpty()) admission.add(Long.parseLong(v));
          }
        }
      }
      finished = true;
      if (webApp != null) webApp.join(5000);
      List<Double> ok = new ArrayList<>();
      List<Double> limited = new ArrayList<>();
      long fleetAttempts = 0;
      long fleetRefused = 0;
      int webAppRefused = 0;
      for (JournalEntry e : simulator.journal().entries()) {
        boolean fromWebApp = e.path().endsWith(WEB_APP_PATH);
        if (fromWebApp) {
          if (e.status() == 429) webAppRefused++;
          continue; // the chart and the counts are the fleet's; the web app's are reported apart
        }
        fleetAttempts++;
        double t = Duration.between(startInstant, e.arrivedAt()).toNanos() / 1e9;
        if (e.status() == 200) ok.add(t);
        else if (e.status() == 429) {
          limited.add(t);
          fleetRefused++;
        }
      }
      double makespan = (lastEndMicros - goMillis * 1000) / 1e6;
      int webApp = webAppRequests.get();
      double ideal = IdealSchedule.idealSeconds(s.rateLimitRules(), startInstant, s.requests() + webApp);
      Map<String, Long> failureCounts = failures.stream().collect(Collectors.groupingBy(f -> f, java.util.TreeMap::new,
          Collectors.counting()));
      String label = strategy.label + (variant.equals("quiet") ? "" : " + " + variant);
      RaceResult race = new RaceResult(label, s.requests(), succeeded, fleetRefused, fleetAttempts,
          makespan, ideal, IdealSchedule.windowsCrossed(s.rateLimitRules(), startInstant, makespan), retries, -1,
          failureCounts, ok, limited);
      // The fleet's own ideal: its requests through what the gate lets it use of each window.
      double idealShare = IdealSchedule.idealSeconds(s.fleetShareRules(), startInstant, s.requests());
      return new Row(variant, strategy, race, webApp, webAppRefused,
          admission.stream().mapToLong(Long::longValue).toArray(), retries, degraded, idealShare);
    }

    @Override
    public void close() {
      finished = true;
      for (Process p : workers) p.destroyForcibly();
      simulator.close();
    }
  }

  static void writeCsv(Path csv, Settings s, List<Row> rows) throws IOException {
    List<String> lines = new ArrayList<>();
    lines.add("variant,strategy,jvms,threads,requests,succeeded,http429,attempts,makespan_s,ideal_s,x_ideal,"
        + "windows_crossed,webapp_served,webapp_429,admission_p50_us,admission_p99_us,added_p50_us,added_p99_us,degraded,"
        + "ideal_share_s,x_ideal_share,busy_loops");
    for (Row r : rows) {
      Row local = rows.stream().filter(o -> o.variant().equals(r.variant()) && o.strategy() == FleetStrategy.LOCAL_GATES)
          .findFirst().orElse(null);
      RaceResult x = r.race();
      lines.add(String.format(Locale.ROOT, "%s,%s,%d,%d,%d,%d,%d,%d,%.2f,%.2f,%.3f,%d,%d,%d,%.0f,%.0f,%s,%s,%d,%.2f,%.3f,%d",
          r.variant(), r.strategy().label, s.jvms(), s.threads(), x.requests(), x.succeeded(), x.http429(), x.attempts(),
          x.makespanSeconds(), x.idealSeconds(), x.makespanSeconds() / x.idealSeconds(), x.windowsCrossed(),
          r.webAppRequests(), r.webAppRefused(), r.p(0.50), r.p(0.99), added(r, local, 0.50), added(r, local, 0.99),
          r.degraded(), r.idealShareSeconds(), x.makespanSeconds() / r.idealShareSeconds(), s.busyLoopsFor(r.variant())));
    }
    Files.write(csv, lines);
  }

  private static String added(Row r, Row local, double q) {
    if (local == null || r.strategy() == FleetStrategy.LOCAL_GATES || r.admissionMicros().length == 0) return "";
    return String.format(Locale.ROOT, "%.0f", r.p(q) - local.p(q));
  }

  static String table(Settings s, List<Row> rows) {
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT, "%d JVMs x %d threads, %d GETs, windows %s, web app: one request every %d ms,"
        + " Redis timeout %d ms, strategies %s%s%n", s.jvms(), s.threads(), s.requests(), s.rules(), s.webAppEveryMillis(),
        s.redisTimeoutMillis(), s.together() ? "at the same time" : "one after the other",
        s.variants().contains("loaded") ? ", loaded: web app + " + s.busyLoops() + (s.busyLoops() == 1 ? " busy loop" : " busy loops") : ""));
    b.append(String.format(Locale.ROOT, "%-24s %8s %9s %7s %8s %10s %7s %7s %7s %9s %9s %9s %8s %8s%n", "strategy", "requests",
        "succeeded", "http429", "attempts", "makespan_s", "ideal_s", "x ideal", "crossed", "webapp ok", "webapp429",
        "adm p50us", "adm p99us", "degraded", "x share"));
    for (Row r : rows) {
      RaceResult x = r.race();
      b.append(String.format(Locale.ROOT, "%-24s %8d %9d %7d %8d %10.2f %7.2f %7.3f %7d %9d %9d %9.0f %9.0f %8d %8.3f%n",
          x.strategy(), x.requests(), x.succeeded(), x.http429(), x.attempts(), x.makespanSeconds(), x.idealSeconds(),
          x.makespanSeconds() / x.idealSeconds(), x.windowsCrossed(), r.webAppRequests(), r.webAppRefused(), r.p(0.5),
          r.p(0.99), r.degraded(), x.makespanSeconds() / r.idealShareSeconds()));
    }
    for (Row r : rows) {
      if (!r.race().failures().isEmpty()) b.append(r.race().strategy()).append(" unsuccessful: ").append(r.race().failures()).append('\n');
    }
    b.append("Output: ").append(s.outDir().resolve("fleet.csv"));
    for (String v : s.variants()) b.append(", ").append(chartName(v));
    return b.toString();
  }

  static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** This JVM's class path: exec:java's class loader's, else the system one (a jar, surefire's booter). */
  static String classPath() {
    ClassLoader loader = FleetRace.class.getClassLoader();
    if (loader instanceof URLClassLoader urls && urls.getURLs().length > 0) {
      List<String> entries = new ArrayList<>();
      for (URL url : urls.getURLs()) {
        try {
          entries.add(Path.of(url.toURI()).toString());
        } catch (Exception e) {
          entries.add(url.getPath());
        }
      }
      return String.join(java.io.File.pathSeparator, entries);
    }
    return System.getProperty("java.class.path");
  }

  /** An embedded Redis on a free loopback port, nothing persisted. */
  private static RedisServer startRedis() throws IOException {
    RuntimeException last = null;
    for (int i = 0; i < 3; i++) { // a free port can be taken between the probe and the bind
      RedisServer redis = RedisServer.builder().port(freePort()).setting("bind 127.0.0.1").setting("save \"\"")
          .setting("appendonly no").build();
      try {
        redis.start();
        return redis;
      } catch (RuntimeException e) {
        last = e;
      }
    }
    throw last;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
