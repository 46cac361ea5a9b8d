package com.assignr.resilience.stacks;

import com.assignr.resilience.AssignrResilience;
import com.assignr.resilience.spring.AssignrExchangeFilterFunction;
import io.netty.handler.ssl.SslContextBuilder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import java.util.stream.Stream;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ClientHttpConnector;
import org.springframework.http.client.reactive.JdkClientHttpConnector;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.BodyInserter;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.resources.ConnectionProvider;

/**
 * Writes through Spring's WebClient (spring-webflux, no Boot) with {@code
 * AssignrExchangeFilterFunction}, on Reactor Netty and on the JDK connector, with a body Spring
 * encodes ({@code bodyValue}) and with a single-use one (a unicast {@code Flux<DataBuffer>}).
 */
@Timeout(60)
class WebClientStackTest {
  static final Rig RIG = new Rig("spring-webclient");
  static final MediaType ASSIGNR = MediaType.parseMediaType(AssignrResilience.ASSIGNR_MEDIA_TYPE);

  @AfterAll
  static void writeMatrix() {
    RIG.close();
  }

  static ClientHttpConnector reactorNetty() {
    try {
      var ssl = SslContextBuilder.forClient().trustManager(RIG.sim.trustManager()).build();
      return new ReactorClientHttpConnector(reactor.netty.http.client.HttpClient
          .create(ConnectionProvider.builder("stacks").maxConnections(4).build())
          .secure(spec -> spec.sslContext(ssl)));
    } catch (SSLException e) {
      throw new IllegalStateException(e);
    }
  }

  static ClientHttpConnector jdk() {
    return new JdkClientHttpConnector(HttpClient.newBuilder().sslContext(RIG.sim.sslContext()).build());
  }

  /** A body that can be read once, as a stream: a unicast sink refuses a second subscriber. */
  static BodyInserter<?, ? super org.springframework.http.client.reactive.ClientHttpRequest> singleUse(String json) {
    Sinks.Many<DataBuffer> sink = Sinks.many().unicast().onBackpressureBuffer();
    sink.tryEmitNext(DefaultDataBufferFactory.sharedInstance.wrap(json.getBytes(StandardCharsets.UTF_8)));
    sink.tryEmitComplete();
    Flux<DataBuffer> once = sink.asFlux();
    return BodyInserters.fromDataBuffers(once);
  }

  static StackClient webClient(ClientHttpConnector connector, AssignrResilience resilience,
      Function<String, BodyInserter<?, ? super org.springframework.http.client.reactive.ClientHttpRequest>> body) {
    WebClient client = WebClient.builder().clientConnector(connector).baseUrl(RIG.base())
        .defaultHeader("Authorization", OkHttpStack.TOKEN)
        .filter(AssignrExchangeFilterFunction.create(resilience)).build();
    return new StackClient() {
      @Override
      public int get(String path) throws Exception {
        return status(client.get().uri(path).exchangeToMono(WebClientStackTest::statusOf));
      }

      @Override
      public int write(String method, String path, String json) throws Exception {
        return status(client.method(HttpMethod.valueOf(method)).uri(path).contentType(ASSIGNR).body(body.apply(json))
            .exchangeToMono(WebClientStackTest::statusOf));
      }
    };
  }

  /** The status, the body released: whatever the status, as a caller reading every answer would. */
  static Mono<Integer> statusOf(ClientResponse response) {
    return response.releaseBody().thenReturn(response.statusCode().value());
  }

  /** Blocks, throwing what the call failed with (block() wraps checked exceptions). */
  static int status(Mono<Integer> call) throws Exception {
    try {
      return call.block(java.time.Duration.ofSeconds(30));
    } catch (RuntimeException e) {
      Throwable t = reactor.core.Exceptions.unwrap(e);
      if (t instanceof Exception x) throw x;
      throw e;
    }
  }

  @TestFactory
  Stream<DynamicTest> onReactorNettyWithAnEncodedBody() {
    return RIG.matrix("Spring WebClient + AssignrExchangeFilterFunction, Reactor Netty, bodyValue", false,
        r -> webClient(reactorNetty(), r, BodyInserters::fromValue));
  }

  @TestFactory
  Stream<DynamicTest> onReactorNettyWithASingleUseBody() {
    return RIG.matrix("Spring WebClient + AssignrExchangeFilterFunction, Reactor Netty, single-use Flux<DataBuffer>",
        false, r -> webClient(reactorNetty(), r, WebClientStackTest::singleUse));
  }

  @TestFactory
  Stream<DynamicTest> onTheJdkConnectorWithAnEncodedBody() {
    return RIG.matrix("Spring WebClient + AssignrExchangeFilterFunction, JdkClientHttpConnector, bodyValue", false,
        r -> webClient(jdk(), r, BodyInserters::fromValue));
  }

  @TestFactory
  Stream<DynamicTest> onTheJdkConnectorWithASingleUseBody() {
    return RIG.matrix("Spring WebClient + AssignrExchangeFilterFunction, JdkClientHttpConnector, single-use Flux<DataBuffer>",
        false, r -> webClient(jdk(), r, WebClientStackTest::singleUse));
  }
}
