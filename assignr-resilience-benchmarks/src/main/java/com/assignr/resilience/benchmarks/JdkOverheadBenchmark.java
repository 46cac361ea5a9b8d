package com.assignr.resilience.benchmarks;

import com.assignr.resilience.AssignrResilience;
import com.assignr.resilience.jdk.AssignrHttpClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.concurrent.TimeUnit;
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
 * One GET to a loopback server per operation through {@code java.net.http.HttpClient}: bare, and
 * wrapped in our decorator, each with {@code send} and with {@code sendAsync().join()}. HTTP/1.1
 * (the loopback server speaks nothing else; this also keeps the client from offering an h2c
 * upgrade on every new connection). Throughput, compared with {@code bare*} from the same run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = "-Xmx512m")
public class JdkOverheadBenchmark {
  private LoopbackServer server;
  private HttpClient bare;
  private HttpClient decorated;
  private HttpClient decoratedNoTotalTimeout;
  private HttpRequest request;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    server = LoopbackServer.start();
    request = HttpRequest.newBuilder(URI.create(server.url()))
        .header("Accept", AssignrResilience.ASSIGNR_MEDIA_TYPE)
        .header("Authorization", "Bearer benchmark")
        .build();
    bare = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    AssignrResilience resilience = AssignrResilience.builder().allowInsecureLoopback(true).build();
    decorated = AssignrHttpClient.wrap(bare, resilience);
    // Diagnostic: without the policy's total timeout the adapter sends the request as built,
    // instead of rebuilding it per attempt with the time left as its timeout.
    decoratedNoTotalTimeout = AssignrHttpClient.wrap(bare, resilience.toBuilder()
        .policy(resilience.policy().toBuilder().totalTimeout(null).build()).build());
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    server.close();
  }

  @Benchmark
  public int bareSend() throws IOException, InterruptedException {
    return consume(bare.send(request, BodyHandlers.ofByteArray()));
  }

  @Benchmark
  public int decoratorSend() throws IOException, InterruptedException {
    return consume(decorated.send(request, BodyHandlers.ofByteArray()));
  }

  @Benchmark
  public int decoratorSendNoTotalTimeout() throws IOException, InterruptedException {
    return consume(decoratedNoTotalTimeout.send(request, BodyHandlers.ofByteArray()));
  }

  @Benchmark
  public int bareSendAsync() {
    return consume(bare.sendAsync(request, BodyHandlers.ofByteArray()).join());
  }

  @Benchmark
  public int decoratorSendAsync() {
    return consume(decorated.sendAsync(request, BodyHandlers.ofByteArray()).join());
  }

  private static int consume(HttpResponse<byte[]> response) {
    return response.statusCode() + response.body().length;
  }
}
