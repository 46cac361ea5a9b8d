package com.assignr.resilience.benchmarks;

import com.assignr.resilience.AssignrResilience;
import com.assignr.resilience.spring.AssignrExchangeFilterFunction;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
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
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

/**
 * One GET to a loopback server per operation through Spring's {@code WebClient} on Reactor Netty,
 * blocking for the body: bare, and with {@code AssignrExchangeFilterFunction}, both on one
 * connector (one connection pool, one event loop). Throughput, compared with {@code bareWebClient}
 * from the same run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = "-Xmx512m")
public class WebClientOverheadBenchmark {
  private static final Duration BLOCK = Duration.ofSeconds(10);

  private LoopbackServer server;
  private ConnectionProvider pool;
  private LoopResources loops;
  private WebClient bare;
  private WebClient filtered;
  private URI uri;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    server = LoopbackServer.start();
    uri = URI.create(server.url());
    pool = ConnectionProvider.builder("webclient-benchmark").maxConnections(8).build();
    loops = LoopResources.create("webclient-benchmark", 1, true);
    ReactorClientHttpConnector connector = new ReactorClientHttpConnector(HttpClient.create(pool).runOn(loops));
    WebClient.Builder builder = WebClient.builder().clientConnector(connector)
        .defaultHeader("Accept", AssignrResilience.ASSIGNR_MEDIA_TYPE)
        .defaultHeader("Authorization", "Bearer benchmark");
    bare = builder.clone().build();
    AssignrResilience resilience = AssignrResilience.builder().allowInsecureLoopback(true).build();
    filtered = builder.clone().filter(AssignrExchangeFilterFunction.create(resilience)).build();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    pool.disposeLater().block(BLOCK);
    loops.disposeLater().block(BLOCK);
    server.close();
  }

  @Benchmark
  public int bareWebClient() {
    return bare.get().uri(uri).retrieve().bodyToMono(byte[].class).block(BLOCK).length;
  }

  @Benchmark
  public int filteredWebClient() {
    return filtered.get().uri(uri).retrieve().bodyToMono(byte[].class).block(BLOCK).length;
  }
}
