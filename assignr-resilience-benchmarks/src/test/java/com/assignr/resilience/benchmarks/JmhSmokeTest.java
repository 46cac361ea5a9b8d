package com.assignr.resilience.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Runs every JMH benchmark once, in this JVM, for 50 ms: the suite must set up, run and tear down
 * (servers, clients, peers), never measure. No score is asserted.
 */
@Timeout(120)
class JmhSmokeTest {
  @Test
  void everyBenchmarkRunsOnce() throws Exception {
    Options options = new OptionsBuilder()
        .include("com\\.assignr\\.resilience\\.benchmarks\\..*")
        .forks(0)
        .warmupIterations(0)
        .measurementIterations(1)
        .measurementTime(TimeValue.milliseconds(50))
        .threads(1)
        .shouldFailOnError(true)
        .verbosity(VerboseMode.SILENT)
        .build();

    Collection<RunResult> results = new Runner(options).run();

    Set<String> ran = new TreeSet<>();
    for (RunResult r : results) ran.add(r.getParams().getBenchmark());
    assertEquals(declaredBenchmarks(), ran);
  }

  @Test
  void pairedOverheadRunsEveryVariant() throws Exception {
    var rows = PairedOverhead.run(2, 5_000_000L, 5_000_000L);

    assertEquals(16, rows.size());
    System.out.println(PairedOverhead.table(rows));
  }

  private static Set<String> declaredBenchmarks() {
    Set<String> names = new TreeSet<>();
    for (Class<?> type : new Class<?>[] {EngineBenchmark.class, OkHttpOverheadBenchmark.class,
        JdkOverheadBenchmark.class, SpringOverheadBenchmark.class,
        HttpClient5OverheadBenchmark.class, WebClientOverheadBenchmark.class,
        TracingOverheadBenchmark.class}) {
      for (var method : type.getDeclaredMethods()) {
        if (method.isAnnotationPresent(Benchmark.class)) names.add(type.getName() + "." + method.getName());
      }
    }
    return names;
  }
}
