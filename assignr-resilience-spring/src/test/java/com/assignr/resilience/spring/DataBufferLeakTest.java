package com.assignr.resilience.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.assignr.resilience.AssignrResilience;
import com.assignr.resilience.testkit.ScriptedResponse;
import com.assignr.resilience.testkit.VirtualTime;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.NettyDataBufferFactory;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * No {@code DataBuffer} leaks through the filter on Reactor Netty, with Netty's leak detector on
 * PARANOID (every buffer tracked): bodies of retried responses drained, excerpts read, single-use
 * request bodies copied from pooled buffers, calls cancelled while waiting and in flight.
 *
 * <p>Runs in a JVM of its own (the {@code netty-leak-test} surefire execution): the detector
 * factory must be installed before Netty's buffers are first loaded. A canary leak, made on
 * purpose and found, proves the detector is the one counting.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DataBufferLeakTest extends WebClientTestBase {
  static final List<String> LEAKS = new CopyOnWriteArrayList<>();

  static {
    ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
    ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new ResourceLeakDetectorFactory() {
      @Override
      public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval, long maxActive) {
        return new ResourceLeakDetector<T>(resource, samplingInterval) {
          @Override
          protected boolean needReport() {
            return true;
          }

          @Override
          protected void reportTracedLeak(String resourceType, String records) {
            LEAKS.add(resourceType + records);
          }

          @Override
          protected void reportUntracedLeak(String resourceType) {
            LEAKS.add(resourceType);
          }
        };
      }
    });
  }

  /** Collects garbage and allocates tracked buffers, which is when Netty reports what it found. */
  static void collectAndReport() {
    for (int i = 0; i < 10; i++) {
      System.gc();
      for (int j = 0; j < 200; j++) ByteBufAllocator.DEFAULT.buffer(8).release();
    }
  }

  @Test
  void retries_excerpts_copies_and_cancellations_leak_no_buffer() throws Throwable {
    // The canary: a buffer dropped unreleased is reported.
    ByteBuf canary = ByteBufAllocator.DEFAULT.buffer(64);
    canary.writeInt(42);
    canary = null;
    for (int i = 0; i < 20 && LEAKS.isEmpty(); i++) collectAndReport();
    assertTrue(!LEAKS.isEmpty(), "the leak detector reports a dropped buffer (else this test proves nothing)");
    LEAKS.clear();

    VirtualTime vt = auto();
    AssignrResilience responses = config(vt).build();
    AssignrResilience exceptions = config(vt).throwOnFailure(true).build();
    WebClient client = client(Connector.REACTOR_NETTY, AssignrExchangeFilterFunction.create(responses));
    WebClient throwing = client(Connector.REACTOR_NETTY, AssignrExchangeFilterFunction.create(exceptions));
    WebClient small = client(Connector.REACTOR_NETTY,
        AssignrExchangeFilterFunction.builder(responses).replayCopyLimit(16).build());
    java.util.concurrent.atomic.AtomicReference<java.util.concurrent.CountDownLatch> sent = new java.util.concurrent.atomic.AtomicReference<>();
    WebClient watched = client(Connector.REACTOR_NETTY, AssignrExchangeFilterFunction.create(responses),
        (request, next) -> next.exchange(request).doOnSubscribe(s -> sent.get().countDown()));
    NettyDataBufferFactory pooled = new NettyDataBufferFactory(ByteBufAllocator.DEFAULT);
    int rounds = 10;
    for (int round = 0; round < rounds; round++) {
      // A 429 with a body, then the page read.
      sim.script().respond(ScriptedResponse.status(429).header("X-Ratelimit-Reset-Seconds-Remaining", "1")
          .body("{\"error\":\"slow down\"}"));
      assertTrue(client.get().uri(GAMES).retrieve().bodyToMono(String.class).block(ExchangeFilterTest.BLOCK)
          .contains("games"));
      // A 503 with a 100 kB page, drained into an excerpt; the POST sent again from its copy.
      sim.script().respond(ScriptedResponse.status(503).bodyOfSize(100_000));
      assertEquals(201, ExchangeFilterTest.post(client, GAMES, NEW_GAME).block(ExchangeFilterTest.BLOCK));
      // A single-use body of pooled buffers, copied, after a 503.
      sim.script().serviceUnavailable(1);
      assertEquals(201, client.post().uri(GAMES).contentType(ExchangeFilterTest.ASSIGNR)
          .body(BodyInserters.fromDataBuffers(pooledBody(pooled, NEW_GAME))).retrieve().toBodilessEntity()
          .block(ExchangeFilterTest.BLOCK).getStatusCode().value());
      // The same over the copy limit: sent once, the retry refused.
      sim.script().serviceUnavailable(1);
      expectFailure(small.post().uri(GAMES).contentType(ExchangeFilterTest.ASSIGNR)
          .body(BodyInserters.fromDataBuffers(pooledBody(pooled, NEW_GAME))).retrieve().toBodilessEntity());
      // A 409 turned into a ConflictException with its excerpt; a 500 returned to retrieve().
      expectFailure(throwing.put().uri("/games/1001").contentType(ExchangeFilterTest.ASSIGNR)
          .bodyValue(ExchangeFilterTest.gameJson(sim.lockVersion(1001) - 1)).retrieve().toBodilessEntity());
      sim.script().next(1).respond(ScriptedResponse.status(500).bodyOfSize(10_000));
      expectFailure(ExchangeFilterTest.post(client, CONFIRM, "{}"));
      // Answers lost after processing.
      sim.script().on("POST", "/api/v2" + GAMES).next(1).processThenReset();
      expectFailure(ExchangeFilterTest.post(client, GAMES, NEW_GAME));
      // Cancelled in flight.
      sim.script().delay(Duration.ofMillis(300), 1);
      sent.set(new java.util.concurrent.CountDownLatch(1));
      Disposable inFlight = watched.get().uri(GAMES).retrieve().bodyToMono(String.class).subscribe(r -> { }, e -> { });
      assertTrue(sent.get().await(10, TimeUnit.SECONDS));
      inFlight.dispose();
    }
    sim.script().clear();

    collectAndReport();
    assertEquals(List.of(), LEAKS, "buffers leaked");
    System.out.printf("Reactor Netty, leak detection PARANOID: %d rounds of 8 scenarios, %d requests, 0 leaks%n",
        rounds, sim.journal().count());
  }

  static Flux<DataBuffer> pooledBody(NettyDataBufferFactory pooled, String json) {
    return Flux.defer(() -> Flux.just(pooled.wrap(pooled.getByteBufAllocator().buffer()
        .writeBytes(json.getBytes(StandardCharsets.UTF_8)))));
  }

  static void expectFailure(Mono<?> call) {
    try {
      call.block(ExchangeFilterTest.BLOCK);
    } catch (RuntimeException expected) {
      return;
    }
    throw new AssertionError("expected the call to fail; journal: " + sim.journal().entries().stream()
        .map(e -> e.method() + " " + e.path() + " " + e.status()).toList());
  }
}
