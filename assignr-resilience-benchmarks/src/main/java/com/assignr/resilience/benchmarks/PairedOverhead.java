package com.assignr.resilience.benchmarks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Throughput ratios against the bare client that survive a noisy, shared machine. JMH measures one
 * benchmark after another, so a build that starts on the next core halfway through the suite moves
 * one row and not the other. Here the variants of one client take turns in short slices (order
 * rotated every round) inside one JVM, and each round yields a ratio against the bare client
 * measured a moment earlier or later; the median of those ratios is reported with its quartiles.
 * It calls the JMH benchmark methods themselves, so both tools measure the same code.
 */
@Command(name = "paired-overhead", mixinStandardHelpOptions = true,
    description = "Interleaved throughput ratios of our adapters and the peers against the bare clients.")
public final class PairedOverhead implements Callable<Integer> {
  @Option(names = "--rounds", defaultValue = "40", description = "rounds (default ${DEFAULT-VALUE})")
  int rounds;

  @Option(names = "--slice-ms", defaultValue = "250", description = "time per variant per round (default ${DEFAULT-VALUE})")
  long sliceMillis;

  @Option(names = "--warmup-s", defaultValue = "4", description = "warm-up per variant (default ${DEFAULT-VALUE})")
  long warmupSeconds;

  /** One way of making a call. */
  @FunctionalInterface
  interface Op {
    int run() throws Exception;
  }

  /** The median and quartiles of one variant's per-round ratios, and its mean throughput. */
  record Row(String client, String variant, double opsPerSecond, double q1, double median, double q3) {}

  public static void main(String[] args) {
    int exit = new CommandLine(new PairedOverhead()).execute(args);
    if (exit != 0) System.exit(exit);
  }

  @Override
  public Integer call() throws Exception {
    List<Row> rows;
    if (springOnly || binderOnly || httpClient5Only || webClientOnly || tracingOnly) {
      rows = new ArrayList<>();
      if (tracingOnly) tracingRows(rows, rounds, sliceMillis * 1_000_000L, warmupSeconds * 1_000_000_000L);
      if (httpClient5Only) httpClient5Rows(rows, rounds, sliceMillis * 1_000_000L, warmupSeconds * 1_000_000_000L);
      if (binderOnly) binderRows(rows, rounds, sliceMillis * 1_000_000L, warmupSeconds * 1_000_000_000L);
      if (springOnly) springRows(rows, rounds, sliceMillis * 1_000_000L, warmupSeconds * 1_000_000_000L);
      if (webClientOnly) webClientRows(rows, rounds, sliceMillis * 1_000_000L, warmupSeconds * 1_000_000_000L);
    } else {
      rows = run(rounds, sliceMillis * 1_000_000L, warmupSeconds * 1_000_000_000L, jdkOnly);
    }
    System.out.println(table(rows));
    return 0;
  }

  @Option(names = "--jdk-only", description = "only the java.net.http rows")
  boolean jdkOnly;

  @Option(names = "--spring-only", description = "only the Spring RestClient rows")
  boolean springOnly;

  @Option(names = "--webclient-only", description = "only the Spring WebClient rows")
  boolean webClientOnly;

  @Option(names = "--httpclient5-only", description = "only the Apache HttpClient 5 rows")
  boolean httpClient5Only;

  @Option(names = "--tracing", description = "only OkHttp bare, with the interceptor, and with tracing sampled out")
  boolean tracingOnly;

  /** OkHttp bare, through the interceptor, and through it with OpenTelemetry tracing sampled out. */
  static void tracingRows(List<Row> rows, int rounds, long sliceNanos, long warmupNanos) throws Exception {
    TracingOverheadBenchmark tracing = new TracingOverheadBenchmark();
    tracing.setUp();
    try {
      Map<String, Op> variants = new LinkedHashMap<>();
      variants.put("bare", tracing::bare);
      variants.put("tracingOff", tracing::tracingOff);
      variants.put("tracingSampledOut", tracing::tracingSampledOut);
      rows.addAll(compare("okhttp", variants, rounds, sliceNanos, warmupNanos));
      Map<String, Op> executor = new LinkedHashMap<>();
      executor.put("executorOff", () -> tracing.executorOff().status);
      executor.put("executorSampledOut", () -> tracing.executorSampledOut().status);
      rows.addAll(compare("executor", executor, rounds, sliceNanos, warmupNanos));
    } finally {
      tracing.tearDown();
    }
  }

  @Option(names = "--binder", description = "only the executor with and without the Micrometer binder (no I/O)")
  boolean binderOnly;

  /** The executor alone, then with the binder as its listener: the binder's cost per call. */
  static void binderRows(List<Row> rows, int rounds, long sliceNanos, long warmupNanos) throws Exception {
    EngineBenchmark engine = new EngineBenchmark();
    engine.setUp();
    Map<String, Op> variants = new LinkedHashMap<>();
    variants.put("oursExecutor", () -> engine.oursExecutor().status);
    variants.put("oursExecutorWithMetrics", () -> engine.oursExecutorWithMetrics().status);
    rows.addAll(compare("engine", variants, rounds, sliceNanos, warmupNanos));
  }

  static List<Row> run(int rounds, long sliceNanos, long warmupNanos) throws Exception {
    return run(rounds, sliceNanos, warmupNanos, false);
  }

  static List<Row> run(int rounds, long sliceNanos, long warmupNanos, boolean jdkOnly) throws Exception {
    List<Row> rows = new ArrayList<>();
    if (!jdkOnly) {
      OkHttpOverheadBenchmark ok = new OkHttpOverheadBenchmark();
      ok.setUp();
      try {
        Map<String, Op> variants = new LinkedHashMap<>();
        variants.put("bare", ok::bare);
        variants.put("assignrInterceptor", ok::assignrInterceptor);
        variants.put("failsafeCall", ok::failsafeCall);
        variants.put("resilience4jRetry", ok::resilience4jRetry);
        rows.addAll(compare("okhttp", variants, rounds, sliceNanos, warmupNanos));
      } finally {
        ok.tearDown();
      }
    }
    if (!jdkOnly) springRows(rows, rounds, sliceNanos, warmupNanos);
    if (!jdkOnly) webClientRows(rows, rounds, sliceNanos, warmupNanos);
    if (!jdkOnly) httpClient5Rows(rows, rounds, sliceNanos, warmupNanos);
    return jdkRows(rows, rounds, sliceNanos, warmupNanos);
  }

  private static void httpClient5Rows(List<Row> rows, int rounds, long sliceNanos, long warmupNanos) throws Exception {
    HttpClient5OverheadBenchmark hc5 = new HttpClient5OverheadBenchmark();
    hc5.setUp();
    try {
      Map<String, Op> variants = new LinkedHashMap<>();
      variants.put("bare", hc5::bare);
      variants.put("bareNoRetries", hc5::bareNoRetries);
      variants.put("assignrConfigured", hc5::assignrConfigured);
      rows.addAll(compare("httpclient5", variants, rounds, sliceNanos, warmupNanos));
    } finally {
      hc5.tearDown();
    }
  }

  private static void springRows(List<Row> rows, int rounds, long sliceNanos, long warmupNanos) throws Exception {
    SpringOverheadBenchmark spring = new SpringOverheadBenchmark();
    spring.setUp();
    try {
      Map<String, Op> variants = new LinkedHashMap<>();
      variants.put("bareRestClient", spring::bareRestClient);
      variants.put("interceptedRestClient", spring::interceptedRestClient);
      rows.addAll(compare("spring", variants, rounds, sliceNanos, warmupNanos));
    } finally {
      spring.tearDown();
    }
  }

  /** WebClient on Reactor Netty, bare and with the filter, on one connector. */
  static void webClientRows(List<Row> rows, int rounds, long sliceNanos, long warmupNanos) throws Exception {
    WebClientOverheadBenchmark web = new WebClientOverheadBenchmark();
    web.setUp();
    try {
      Map<String, Op> variants = new LinkedHashMap<>();
      variants.put("bareWebClient", web::bareWebClient);
      variants.put("filteredWebClient", web::filteredWebClient);
      rows.addAll(compare("webclient", variants, rounds, sliceNanos, warmupNanos));
    } finally {
      web.tearDown();
    }
  }

  private static List<Row> jdkRows(List<Row> rows, int rounds, long sliceNanos, long warmupNanos) throws Exception {
    JdkOverheadBenchmark jdk = new JdkOverheadBenchmark();
    jdk.setUp();
    try {
      Map<String, Op> sync = new LinkedHashMap<>();
      sync.put("bareSend", jdk::bareSend);
      sync.put("decoratorSend", jdk::decoratorSend);
      sync.put("decoratorSendNoTotalTimeout", jdk::decoratorSendNoTotalTimeout);
      rows.addAll(compare("jdk send", sync, rounds, sliceNanos, warmupNanos));
      Map<String, Op> async = new LinkedHashMap<>();
      async.put("bareSendAsync", jdk::bareSendAsync);
      async.put("decoratorSendAsync", jdk::decoratorSendAsync);
      rows.addAll(compare("jdk sendAsync", async, rounds, sliceNanos, warmupNanos));
    } finally {
      jdk.tearDown();
    }
    return rows;
  }

  /** The first variant is the baseline. */
  static List<Row> compare(String client, Map<String, Op> variants, int rounds, long sliceNanos,
      long warmupNanos) throws Exception {
    List<String> names = new ArrayList<>(variants.keySet());
    int n = names.size();
    for (String name : names) slice(variants.get(name), warmupNanos);
    double[][] ratios = new double[n][rounds];
    double[] totalOps = new double[n];
    for (int r = 0; r < rounds; r++) {
      double[] perSecond = new double[n];
      for (int k = 0; k < n; k++) {
        int v = (k + r) % n; // rotate who goes first
        perSecond[v] = slice(variants.get(names.get(v)), sliceNanos) * 1e9 / sliceNanos;
        totalOps[v] += perSecond[v];
      }
      for (int v = 0; v < n; v++) ratios[v][r] = perSecond[v] / perSecond[0];
    }
    List<Row> rows = new ArrayList<>();
    for (int v = 0; v < n; v++) {
      double[] sorted = ratios[v].clone();
      Arrays.sort(sorted);
      rows.add(new Row(client, names.get(v), totalOps[v] / rounds, quantile(sorted, 0.25),
          quantile(sorted, 0.5), quantile(sorted, 0.75)));
    }
    return rows;
  }

  private static long slice(Op op, long nanos) throws Exception {
    long end = System.nanoTime() + nanos;
    long ops = 0;
    int sink = 0;
    while (System.nanoTime() < end) {
      sink += op.run();
      ops++;
    }
    if (sink == 42) System.out.print(""); // keep the results alive
    return ops;
  }

  private static double quantile(double[] sorted, double q) {
    double pos = q * (sorted.length - 1);
    int lo = (int) Math.floor(pos);
    int hi = (int) Math.ceil(pos);
    return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
  }

  static String table(List<Row> rows) {
    StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%-14s %-28s %10s %8s %8s %8s%n",
        "client", "variant", "ops/s", "q1", "median", "q3"));
    for (Row r : rows) {
      b.append(String.format(Locale.ROOT, "%-14s %-28s %10.0f %8.3f %8.3f %8.3f%n", r.client(), r.variant(),
          r.opsPerSecond(), r.q1(), r.median(), r.q3()));
    }
    return b.append("(ratios: each variant's throughput over the baseline's in the same round)").toString();
  }
}
