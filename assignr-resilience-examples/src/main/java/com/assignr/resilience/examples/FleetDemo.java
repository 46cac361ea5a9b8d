package com.assignr.resilience.examples;

import com.assignr.resilience.testkit.AssignrSimulator;
import com.assignr.resilience.testkit.RateLimitRule;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import redis.embedded.RedisServer;

/**
 * The demo's fleet mode ({@code --instances N}): an embedded Redis and N worker processes that
 * split the same job (each syncs and reads the details of its share of the sites) against one
 * simulated account, once with an in-process gate in every process and once with the fleet's gate
 * in Redis. The summary puts the two side by side: requests, 429s, elapsed against the ideal.
 */
final class FleetDemo {
  /** The two ways the instances keep their gate. */
  static final List<String> MODES = List.of("local", "redis");

  /** What one run of the fleet did, from the server's journal and the instances' own counts. */
  record Run(String mode, int instances, long requests, long rateLimited, long retries, long games, long details,
      long failures, Duration elapsed, Duration ideal, List<String> failureLines) {
    String label() {
      return mode.equals("redis") ? "shared gate (Redis)" : "local gates";
    }
  }

  private FleetDemo() {}

  static List<Run> run(int instances, List<RateLimitRule> rules, int sites, int gamesPerSite, int workers,
      int maxPages, int detailsPerSite, PrintStream out, Duration progressEvery) throws Exception {
    RedisServer redis = startRedis();
    int port = redis.ports().get(0);
    out.printf("Embedded Redis on 127.0.0.1:%d; %d instances (separate JVMs) split the job: %d sites x %d games,"
        + " windows %s, %d workers each.%n%n", port, instances, sites, gamesPerSite, Demo.describe(rules), workers);
    List<Run> runs = new ArrayList<>();
    try {
      for (String mode : MODES) {
        try (AssignrSimulator sim = DemoSimulator.start(rules, sites, gamesPerSite, 0)) {
          runs.add(runOnce(mode, instances, "redis://127.0.0.1:" + port, sim, rules, workers, maxPages,
              detailsPerSite, out, progressEvery));
        }
        out.println();
      }
    } finally {
      redis.stop();
    }
    out.print(summary(runs));
    return runs;
  }

  private static Run runOnce(String mode, int instances, String redisUri, AssignrSimulator sim,
      List<RateLimitRule> rules, int workers, int maxPages, int detailsPerSite, PrintStream out,
      Duration progressEvery) throws Exception {
    String quota = "assignr:demo-fleet:" + mode + ":" + System.nanoTime();
    List<Process> processes = new ArrayList<>();
    List<CompletableFuture<List<String>>> outputs = new ArrayList<>();
    List<CompletableFuture<Void>> ready = new ArrayList<>();
    try {
      for (int i = 0; i < instances; i++) {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp", classPath(), "-XX:+UseSerialGC", "-Xmx256m", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
            FleetDemoWorker.class.getName(), mode, sim.httpBaseUrl(), redisUri, quota, Integer.toString(i),
            Integer.toString(instances), Integer.toString(workers), Integer.toString(maxPages),
            Integer.toString(detailsPerSite));
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        processes.add(p);
        CompletableFuture<Void> isReady = new CompletableFuture<>();
        ready.add(isReady);
        outputs.add(CompletableFuture.supplyAsync(() -> lines(p, isReady)));
      }
      for (CompletableFuture<Void> r : ready) r.get(120, TimeUnit.SECONDS);
      Instant start = Instant.now();
      long t0 = System.nanoTime();
      for (Process p : processes) {
        PrintStream in = new PrintStream(p.getOutputStream(), true, StandardCharsets.UTF_8);
        in.println("GO");
      }
      String label = mode.equals("redis") ? "shared" : "local";
      CompletableFuture<Void> all = CompletableFuture.allOf(outputs.toArray(new CompletableFuture<?>[0]));
      while (!all.isDone()) {
        try {
          all.get(progressEvery == null ? 1000 : progressEvery.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
          if (progressEvery != null) {
            long done = outputs.stream().filter(CompletableFuture::isDone).count();
            out.printf(Locale.ROOT, "[%-6s %5.1fs] server: requests %4d | 429s %2d | instances done %d/%d%n", label,
                (System.nanoTime() - t0) / 1e9, sim.journal().count(), sim.journal().countStatus(429), done, instances);
          }
        }
      }
      Duration elapsed = Duration.ofNanos(System.nanoTime() - t0);
      long requests = 0, limited = 0, retries = 0, games = 0, details = 0, failures = 0;
      List<String> failureLines = new ArrayList<>();
      for (CompletableFuture<List<String>> output : outputs) {
        for (String line : output.get()) {
          if (line.startsWith("RESULT ")) {
            Map<String, Long> f = java.util.Arrays.stream(line.substring(7).split(" ")).map(kv -> kv.split("="))
                .collect(Collectors.toMap(kv -> kv[0], kv -> Long.parseLong(kv[1])));
            requests += f.get("requests");
            limited += f.get("rateLimited");
            retries += f.get("retries");
            games += f.get("games");
            details += f.get("details");
            failures += f.get("failures");
          } else if (line.startsWith("FAILURE ")) {
            failureLines.add(line.substring(8));
          }
        }
      }
      long counted = sim.journal().count() - sim.journal().countStatus(429);
      out.printf(Locale.ROOT, "[%-6s %5.1fs] server: requests %4d | 429s %2d | instances done %d/%d  finished%n",
          label, elapsed.toNanos() / 1e9, sim.journal().count(), sim.journal().countStatus(429), instances, instances);
      if (requests != sim.journal().count()) {
        failureLines.add("the instances counted " + requests + " requests, the server " + sim.journal().count());
      }
      return new Run(mode, instances, requests, limited, retries, games, details, failures, elapsed,
          IdealTime.of(rules, counted, start), failureLines);
    } finally {
      for (Process p : processes) p.destroyForcibly();
    }
  }

  static String summary(List<Run> runs) {
    StringBuilder b = new StringBuilder();
    String format = "%-30s |" + " %20s |".repeat(runs.size()) + "%n";
    b.append(String.format(Locale.ROOT, format, row("", runs, Run::label)));
    b.append("-".repeat(31)).append(("+" + "-".repeat(22)).repeat(runs.size())).append('\n');
    b.append(String.format(Locale.ROOT, format, row("instances (separate JVMs)", runs, r -> Integer.toString(r.instances()))));
    b.append(String.format(Locale.ROOT, format, row("requests sent", runs, r -> Long.toString(r.requests()))));
    b.append(String.format(Locale.ROOT, format, row("429s received", runs, r -> Long.toString(r.rateLimited()))));
    b.append(String.format(Locale.ROOT, format, row("retries", runs, r -> Long.toString(r.retries()))));
    b.append(String.format(Locale.ROOT, format, row("elapsed", runs, r -> seconds(r.elapsed()))));
    b.append(String.format(Locale.ROOT, format, row("ideal the limits allow", runs, r -> seconds(r.ideal()))));
    b.append(String.format(Locale.ROOT, format, row("elapsed / ideal", runs, r -> r.ideal().isZero() ? "-"
        : String.format(Locale.ROOT, "%.0f%%", 100.0 * r.elapsed().toNanos() / r.ideal().toNanos()))));
    b.append(String.format(Locale.ROOT, format, row("games synced / details", runs, r -> r.games() + " / " + r.details())));
    b.append(String.format(Locale.ROOT, format, row("calls failed for good", runs, r -> Long.toString(r.failures()))));
    for (Run r : runs) for (String f : r.failureLines()) b.append(r.label()).append(": ").append(f).append('\n');
    return b.toString();
  }

  private static Object[] row(String name, List<Run> runs, java.util.function.Function<Run, String> cell) {
    Object[] cells = new Object[runs.size() + 1];
    cells[0] = name;
    for (int i = 0; i < runs.size(); i++) cells[i + 1] = cell.apply(runs.get(i));
    return cells;
  }

  private static String seconds(Duration d) {
    return String.format(Locale.ROOT, "%.1f s", d.toNanos() / 1e9);
  }

  private static List<String> lines(Process p, CompletableFuture<Void> isReady) {
    List<String> lines = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        if (line.equals("READY")) isReady.complete(null);
        else lines.add(line);
      }
    } catch (IOException e) {
      isReady.completeExceptionally(e);
    }
    isReady.completeExceptionally(new IllegalStateException("an instance ended before it was ready: " + lines));
    return lines;
  }

  /** This JVM's class path: exec:java's class loader's, else the system one. */
  private static String classPath() {
    ClassLoader loader = FleetDemo.class.getClassLoader();
    if (loader instanceof URLClassLoader urls && urls.getURLs().length > 0) {
      List<String> entries = new ArrayList<>();
      for (URL url : urls.getURLs()) {
        try {
          entries.add(Path.of(url.toURI()).toString());
        } catch (Exception e) {
          entries.add(url.getPath());
        }
      }
      return String.join(File.pathSeparator, entries);
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
