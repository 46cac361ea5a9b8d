package com.assignr.resilience.benchmarks;

import com.assignr.resilience.AssignrResilience;
import com.assignr.resilience.okhttp.AssignrInterceptor;
import dev.failsafe.RetryPolicy;
import dev.failsafe.okhttp.FailsafeCall;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One GET to a loopback server per operation, on one OkHttp client (one pooled keep-alive
 * connection), with each way of adding retries: none, our {@link AssignrInterceptor}, Failsafe's
 * {@code FailsafeCall} with a retry policy on 429/5xx, and a Resilience4j {@code Retry} around
 * {@code execute()}. Every call succeeds on its first attempt, so this measures what each costs on
 * the success path. Throughput, compared with {@code bare} from the same run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = "-Xmx512m")
public class OkHttpOverheadBenchmark {
  private LoopbackServer server;
  private OkHttpClient bare;
  private OkHttpClient intercepted;
  private Request request;
  private RetryPolicy<Response> failsafePolicy;
  private Retry retry;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    server = LoopbackServer.start();
    request = new Request.Builder().url(server.url())
        .header("Accept", AssignrResilience.ASSIGNR_MEDIA_TYPE)
        .header("Authorization", "Bearer benchmark")
        .build();
    bare = new OkHttpClient.Builder().build();
    AssignrResilience resilience = AssignrResilience.builder().allowInsecureLoopback(true).build();
    intercepted = bare.newBuilder().addInterceptor(AssignrInterceptor.create(resilience)).build();
    failsafePolicy = RetryPolicy.<Response>builder()
        .handleResultIf(r -> r.code() == 429 || r.code() >= 500)
        .withBackoff(Duration.ofMillis(500), Duration.ofSeconds(30))
        .withMaxAttempts(5)
        .build();
    retry = Retry.of("bench", RetryConfig.<Response>custom()
        .maxAttempts(5)
        .retryOnResult(r -> r.code() == 429 || r.code() >= 500)
        .consumeResultBeforeRetryAttempt((attempt, r) -> r.close())
        .failAfterMaxAttempts(false)
        .build());
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    for (OkHttpClient c : new OkHttpClient[] {bare, intercepted}) {
      c.dispatcher().executorService().shutdown();
      c.connectionPool().evictAll();
    }
    server.close();
  }

  @Benchmark
  public int bare() throws IOException {
    try (Response response = bare.newCall(request).execute()) {
      return consume(response);
    }
  }

  @Benchmark
  public int assignrInterceptor() throws IOException {
    try (Response response = intercepted.newCall(request).execute()) {
      return consume(response);
    }
  }

  @Benchmark
  public int failsafeCall() throws IOException {
    try (Response response = FailsafeCall.with(failsafePolicy).compose(bare.newCall(request)).execute()) {
      return consume(response);
    }
  }

  @Benchmark
  public int resilience4jRetry() throws Exception {
    try (Response response = retry.executeCallable(() -> bare.newCall(request).execute())) {
      return consume(response);
    }
  }

  private static int consume(Response response) throws IOException {
    return response.code() + response.body().bytes().length;
  }
}
