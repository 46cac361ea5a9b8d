package com.assignr.resilience.benchmarks;

import com.assignr.resilience.AssignrResilience;
import com.assignr.resilience.spring.AssignrClientHttpRequestInterceptor;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
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
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.RestClient;

/**
 * One GET to a loopback server per operation through Spring's {@code RestClient}: bare, and with
 * our interceptor, both on the same {@code JdkClientHttpRequestFactory} (one JDK {@code HttpClient},
 * HTTP/1.1). Throughput, compared with {@code bareRestClient} from the same run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = "-Xmx512m")
public class SpringOverheadBenchmark {
  private LoopbackServer server;
  private RestClient bare;
  private RestClient intercepted;
  private URI uri;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    server = LoopbackServer.start();
    uri = URI.create(server.url());
    JdkClientHttpRequestFactory factory = new JdkClientHttpRequestFactory(
        HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build());
    RestClient.Builder builder = RestClient.builder().requestFactory(factory)
        .defaultHeader("Accept", AssignrResilience.ASSIGNR_MEDIA_TYPE)
        .defaultHeader("Authorization", "Bearer benchmark");
    bare = builder.clone().build();
    AssignrResilience resilience = AssignrResilience.builder().allowInsecureLoopback(true).build();
    intercepted = builder.clone().requestInterceptor(AssignrClientHttpRequestInterceptor.create(resilience)).build();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    server.close();
  }

  @Benchmark
  public int bareRestClient() {
    return bare.get().uri(uri).retrieve().body(byte[].class).length;
  }

  @Benchmark
  public int interceptedRestClient() {
    return intercepted.get().uri(uri).retrieve().body(byte[].class).length;
  }
}
