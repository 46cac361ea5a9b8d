package com.assignr.resilience.benchmarks;

import com.assignr.resilience.AssignrResilience;
import com.assignr.resilience.RequestInfo;
import com.assignr.resilience.RetryListener;
import com.assignr.resilience.spi.CallOptions;
import com.assignr.resilience.spi.RetryExecutor;
import com.assignr.resilience.okhttp.AssignrInterceptor;
import com.assignr.resilience.opentelemetry.AssignrTracing;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.io.IOException;
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
 * What tracing costs on the success path: one GET to a loopback server per operation on one OkHttp
 * client, bare ({@code bare}, the untouched baseline), through {@link AssignrInterceptor} without
 * an observer ({@code tracingOff}) and with {@link AssignrTracing} on an OpenTelemetry SDK that
 * samples nothing ({@code tracingSampledOut}, {@code Sampler.alwaysOff()}: spans are made, not
 * recorded, and each attempt still sends its {@code traceparent}). Compare the three in one run,
 * best as paired ratios ({@code PairedOverhead --tracing}). {@code executorOff} and {@code
 * executorSampledOut} do the same without I/O: {@code RetryExecutor.execute} around an in-memory
 * 200, so their difference is what tracing adds to a call, in nanoseconds.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = "-Xmx512m")
public class TracingOverheadBenchmark {
  private LoopbackServer server;
  private OkHttpClient bare;
  private OkHttpClient off;
  private OkHttpClient sampledOut;
  private SdkTracerProvider tracerProvider;
  private Request request;
  private RetryExecutor executorOff;
  private RetryExecutor executorSampledOut;
  private RequestInfo info;
  private CallOptions options;
  private RetryExecutor.Attempt<EngineBenchmark.FakeResponse> attempt;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    server = LoopbackServer.start();
    request = new Request.Builder().url(server.url())
        .header("Accept", AssignrResilience.ASSIGNR_MEDIA_TYPE)
        .header("Authorization", "Bearer benchmark")
        .build();
    bare = new OkHttpClient.Builder().build();
    AssignrResilience plain = AssignrResilience.builder().allowInsecureLoopback(true).listener(RetryListener.NONE)
        .build();
    off = bare.newBuilder().addInterceptor(AssignrInterceptor.create(plain)).build();
    tracerProvider = SdkTracerProvider.builder().setSampler(Sampler.alwaysOff()).build();
    OpenTelemetrySdk otel = OpenTelemetrySdk.builder().setTracerProvider(tracerProvider)
        .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance())).build();
    AssignrResilience traced = plain.toBuilder().observer(AssignrTracing.create(otel)).build();
    sampledOut = bare.newBuilder().addInterceptor(AssignrInterceptor.create(traced)).build();
    executorOff = plain.executor();
    executorSampledOut = traced.executor();
    info = new RequestInfo("GET", "https", "api.assignr.com", "/api/v2/games/1", true);
    options = CallOptions.none().withCredentials("Bearer benchmark");
    EngineBenchmark.FakeResponse ok = new EngineBenchmark.FakeResponse(200, EngineBenchmark.OK_HEADERS);
    attempt = ctx -> ok;
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    for (OkHttpClient c : new OkHttpClient[] {bare, off, sampledOut}) {
      c.dispatcher().executorService().shutdown();
      c.connectionPool().evictAll();
    }
    tracerProvider.close();
    server.close();
  }

  @Benchmark
  public int bare() throws IOException {
    return call(bare);
  }

  @Benchmark
  public int tracingOff() throws IOException {
    return call(off);
  }

  @Benchmark
  public int tracingSampledOut() throws IOException {
    return call(sampledOut);
  }

  @Benchmark
  public EngineBenchmark.FakeResponse executorOff() throws IOException {
    return executorOff.execute(info, options, attempt, EngineBenchmark.ADAPTER);
  }

  @Benchmark
  public EngineBenchmark.FakeResponse executorSampledOut() throws IOException {
    return executorSampledOut.execute(info, options, attempt, EngineBenchmark.ADAPTER);
  }

  private int call(OkHttpClient client) throws IOException {
    try (Response response = client.newCall(request).execute()) {
      return response.code() + response.body().bytes().length;
    }
  }
}
