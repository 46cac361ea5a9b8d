package com.assignr.resilience.benchmarks;

import com.assignr.resilience.AssignrResilience;
import com.assignr.resilience.httpclient5.AssignrHttpClient5;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.io.CloseMode;
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
 * One GET to a loopback server per operation through an Apache HttpClient 5 classic client (its
 * own pool, one keep-alive connection in use): as HttpClient's builder makes it ({@code bare}, with
 * its own retries and redirects), the same without them ({@code bareNoRetries}: what {@link
 * AssignrHttpClient5#configure} switches off, so the handler's own cost shows), and configured for
 * Assignr ({@code assignrConfigured}). Every call succeeds at once. Throughput, compared with
 * {@code bare} from the same run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = "-Xmx512m")
public class HttpClient5OverheadBenchmark {
  private LoopbackServer server;
  private CloseableHttpClient bare;
  private CloseableHttpClient bareNoRetries;
  private CloseableHttpClient configured;
  private String url;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    server = LoopbackServer.start();
    url = server.url();
    bare = HttpClients.custom().build();
    bareNoRetries = HttpClients.custom().disableAutomaticRetries().disableRedirectHandling().build();
    AssignrResilience resilience = AssignrResilience.builder().allowInsecureLoopback(true).build();
    configured = AssignrHttpClient5.configure(HttpClientBuilder.create(), resilience).build();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    for (CloseableHttpClient c : new CloseableHttpClient[] {bare, bareNoRetries, configured}) {
      c.close(CloseMode.IMMEDIATE);
    }
    server.close();
  }

  @Benchmark
  public int bare() throws IOException {
    return call(bare);
  }

  @Benchmark
  public int bareNoRetries() throws IOException {
    return call(bareNoRetries);
  }

  @Benchmark
  public int assignrConfigured() throws IOException {
    return call(configured);
  }

  private int call(CloseableHttpClient client) throws IOException {
    HttpGet get = new HttpGet(url);
    get.setHeader("Accept", AssignrResilience.ASSIGNR_MEDIA_TYPE);
    get.setHeader("Authorization", "Bearer benchmark");
    return client.execute(get, response -> response.getCode() + EntityUtils.toByteArray(response.getEntity()).length);
  }
}
