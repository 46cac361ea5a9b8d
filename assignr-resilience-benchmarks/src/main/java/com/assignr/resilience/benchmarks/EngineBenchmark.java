package com.assignr.resilience.benchmarks;

import com.assignr.resilience.AssignrResilience;
import com.assignr.resilience.spi.CallOptions;
import com.assignr.resilience.spi.HeaderLookup;
import com.assignr.resilience.RequestInfo;
import com.assignr.resilience.spi.ResponseAdapter;
import com.assignr.resilience.spi.RetryExecutor;
import com.assignr.resilience.RetryListener;
import com.assignr.resilience.micrometer.AssignrMetrics;
import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeExecutor;
import dev.failsafe.RetryPolicy;
import dev.failsafe.function.CheckedSupplier;
import io.github.resilience4j.retry.Retry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.github.resilience4j.retry.RetryConfig;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of the retry machinery alone on a call that succeeds at once, with no I/O: the attempt
 * returns a preallocated in-memory response whose headers say plenty of requests are left.
 *
 * <ul>
 *   <li>{@code baseline}: the attempt called directly, the floor every row includes;
 *   <li>{@code nanoTime}: one {@code System.nanoTime()}, to read the rows below against (the
 *       gate reads the clock three times per success);
 *   <li>{@code oursExecutor}: the whole {@code RetryExecutor.execute} loop around the attempt, with
 *       the gate and no listener;
 *   <li>{@code oursExecutorWithMetrics}: the same with the Micrometer binder as the only listener
 *       (monitoring the gate, on a {@code SimpleMeterRegistry}): the binder's cost is the difference;
 *   <li>{@code resilience4jRetry}: a Resilience4j {@code Retry} retrying on a 429/5xx result;
 *   <li>{@code failsafeRetryPolicy}: Failsafe's executor with a {@code RetryPolicy} on a 429/5xx
 *       result.
 * </ul>
 *
 * Average time per call; run with {@code -prof gc} for bytes allocated per call.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = "-Xmx512m")
public class EngineBenchmark {
  /** A response held in memory: status and Assignr's headers on a success. */
  public static final class FakeResponse {
    final int status;
    final HeaderLookup headers;

    FakeResponse(int status, HeaderLookup headers) {
      this.status = status;
      this.headers = headers;
    }
  }

  static final ResponseAdapter<FakeResponse> ADAPTER = new ResponseAdapter<>() {
    @Override public int status(FakeResponse r) { return r.status; }
    @Override public HeaderLookup headers(FakeResponse r) { return r.headers; }
    @Override public void discard(FakeResponse r) {}
  };

  /** Assignr's headers as a success carries them, with a binding rule far from exhausted. */
  static final HeaderLookup OK_HEADERS = name -> {
    switch (name) {
      case "X-Ratelimit-Limit": return "1000000";
      case "X-Ratelimit-Period": return "3600";
      case "X-Ratelimit-Remaining": return "999999";
      case "X-Ratelimit-Reset-Seconds-Remaining": return "3599";
      default: return null;
    }
  };

  private FakeResponse ok;
  private RequestInfo request;
  private CallOptions options;
  private RetryExecutor executor;
  private RetryExecutor metered;
  private RetryExecutor.Attempt<FakeResponse> attempt;
  private Supplier<FakeResponse> supplier;
  private Supplier<FakeResponse> r4jDecorated;
  private FailsafeExecutor<FakeResponse> failsafe;
  private CheckedSupplier<FakeResponse> failsafeSupplier;

  @Setup
  public void setUp() {
    ok = new FakeResponse(200, OK_HEADERS);
    AssignrResilience resilience = AssignrResilience.builder().listener(RetryListener.NONE).build();
    request = new RequestInfo("GET", "https", "api.assignr.com", "/api/v2/games/1", true);
    options = CallOptions.none().withCredentials("Bearer benchmark");
    executor = resilience.executor();
    AssignrMetrics metrics = AssignrMetrics.create(new SimpleMeterRegistry());
    AssignrResilience withMetrics = metrics.monitor(AssignrResilience.builder().listener(metrics).build());
    metered = withMetrics.executor();
    FakeResponse response = ok;
    attempt = ctx -> response;
    supplier = () -> response;
    failsafeSupplier = () -> response;
    Retry retry = Retry.of("bench", RetryConfig.<FakeResponse>custom()
        .maxAttempts(5)
        .retryOnResult(r -> r.status == 429 || r.status >= 500)
        .failAfterMaxAttempts(false)
        .build());
    r4jDecorated = Retry.decorateSupplier(retry, supplier);
    failsafe = Failsafe.with(RetryPolicy.<FakeResponse>builder()
        .handleResultIf(r -> r.status == 429 || r.status >= 500)
        .withBackoff(Duration.ofMillis(500), Duration.ofSeconds(30))
        .withMaxAttempts(5)
        .build());
  }

  @Benchmark
  public FakeResponse baseline() {
    return supplier.get();
  }

  /** One read of the monotonic clock: our gate reads it three times per success. */
  @Benchmark
  public long nanoTime() {
    return System.nanoTime();
  }

  @Benchmark
  public FakeResponse oursExecutor() throws IOException {
    return executor.execute(request, options, attempt, ADAPTER);
  }

  @Benchmark
  public FakeResponse oursExecutorWithMetrics() throws IOException {
    return metered.execute(request, options, attempt, ADAPTER);
  }

  @Benchmark
  public FakeResponse resilience4jRetry() {
    return r4jDecorated.get();
  }

  @Benchmark
  public FakeResponse failsafeRetryPolicy() {
    return failsafe.get(failsafeSupplier);
  }
}
