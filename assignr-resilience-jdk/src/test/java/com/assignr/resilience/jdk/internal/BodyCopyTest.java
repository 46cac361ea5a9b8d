package com.assignr.resilience.jdk.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.SubmissionPublisher;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The copy of a single-use body: whole within the limit, or what was read and then the rest. */
@Timeout(20)
class BodyCopyTest {
  private final ExecutorService threads = Executors.newFixedThreadPool(2);

  @AfterEach
  void stop() {
    threads.shutdownNow();
  }

  static HttpRequest post(BodyPublisher body) {
    return HttpRequest.newBuilder(URI.create("https://api.example/x")).POST(body).build();
  }

  /** Chunks of {@code size} bytes numbered 0, 1, 2…, published once from another thread. */
  BodyPublisher asyncChunks(int chunks, int size, List<String> signals) {
    return BodyPublishers.fromPublisher(subscriber -> {
      SubmissionPublisher<ByteBuffer> publisher = new SubmissionPublisher<>(threads, 4);
      publisher.subscribe(new Flow.Subscriber<ByteBuffer>() {
        @Override public void onSubscribe(Flow.Subscription s) {
          subscriber.onSubscribe(new Flow.Subscription() {
            @Override public void request(long n) { s.request(n); }
            @Override public void cancel() { signals.add("cancelled"); s.cancel(); }
          });
        }
        @Override public void onNext(ByteBuffer item) { subscriber.onNext(item); }
        @Override public void onError(Throwable t) { subscriber.onError(t); }
        @Override public void onComplete() { subscriber.onComplete(); }
      });
      threads.execute(() -> {
        for (int i = 0; i < chunks; i++) {
          byte[] chunk = new byte[size];
          java.util.Arrays.fill(chunk, (byte) i);
          if (publisher.isClosed()) return;
          publisher.submit(ByteBuffer.wrap(chunk));
        }
        publisher.close();
      });
    });
  }

  static byte[] expected(int chunks, int size) {
    byte[] all = new byte[chunks * size];
    for (int i = 0; i < all.length; i++) all[i] = (byte) (i / size);
    return all;
  }

  /** Reads a publisher one item at a time: its bytes, or its failure. */
  static CompletableFuture<byte[]> read(BodyPublisher body) {
    CompletableFuture<byte[]> done = new CompletableFuture<>();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    body.subscribe(new Flow.Subscriber<ByteBuffer>() {
      private Flow.Subscription s;
      @Override public void onSubscribe(Flow.Subscription s) { this.s = s; s.request(1); }
      @Override public void onNext(ByteBuffer item) {
        byte[] b = new byte[item.remaining()];
        item.get(b);
        out.write(b, 0, b.length);
        s.request(1);
      }
      @Override public void onError(Throwable t) { done.completeExceptionally(t); }
      @Override public void onComplete() { done.complete(out.toByteArray()); }
    });
    return done;
  }

  @Test
  void aBodyWithinTheLimitIsCopiedWholeAndPublishesTheSameBytesEveryTime() throws Exception {
    HttpRequest request = post(asyncChunks(50, 100, new ArrayList<>()));
    assertTrue(BodyCopy.wanted(request, 5000));
    BodyPublisher body = BodyCopy.start(request, 5000, threads).body().get(10, TimeUnit.SECONDS);

    assertInstanceOf(BodyCopy.Copied.class, body);
    assertTrue(Requests.isReplayable(BodyCopy.carrying(request, body)));
    assertEquals(-1, body.contentLength(), "the original's: unknown, so still sent chunked");
    assertArrayEquals(expected(50, 100), read(body).get(10, TimeUnit.SECONDS));
    assertArrayEquals(expected(50, 100), read(body).get(10, TimeUnit.SECONDS), "again, the same");
  }

  @Test
  void aBodyOverTheLimitIsSentOnceWholeInOrderFromWhatWasReadThenTheRest() throws Exception {
    HttpRequest request = post(asyncChunks(100, 100, new ArrayList<>()));
    BodyPublisher body = BodyCopy.start(request, 1000, threads).body().get(10, TimeUnit.SECONDS);

    assertInstanceOf(BodyCopy.SendOnce.class, body);
    assertTrue(!Requests.isReplayable(BodyCopy.carrying(request, body)), "sent once");
    assertArrayEquals(expected(100, 100), read(body).get(10, TimeUnit.SECONDS));
    CompletableFuture<byte[]> again = read(body);
    assertTrue(again.isCompletedExceptionally(), "a second subscription is refused");
  }

  @Test
  void aBodyDeclaredLongerThanTheLimitIsNotCopied() {
    assertTrue(!BodyCopy.wanted(post(BodyPublishers.fromPublisher(asyncChunks(1, 10, new ArrayList<>()), 10)), 9));
    assertTrue(BodyCopy.wanted(post(BodyPublishers.fromPublisher(asyncChunks(1, 10, new ArrayList<>()), 10)), 10));
    assertTrue(!BodyCopy.wanted(post(BodyPublishers.ofString("x")), 1000), "replayable as it is");
    assertTrue(!BodyCopy.wanted(post(asyncChunks(1, 10, new ArrayList<>())), 0), "copying off");
  }

  @Test
  void aFailingBodyIsSentOnceAndFailsTheSameWay() throws Exception {
    IOException boom = new IOException("the stream broke");
    BodyPublisher failing = BodyPublishers.fromPublisher(subscriber -> {
      subscriber.onSubscribe(new Flow.Subscription() {
        private boolean sent;
        @Override public void request(long n) {
          if (sent) return;
          sent = true;
          subscriber.onNext(ByteBuffer.wrap(new byte[] {1, 2, 3}));
          subscriber.onError(boom);
        }
        @Override public void cancel() { }
      });
    });
    BodyPublisher body = BodyCopy.start(post(failing), 1000, Runnable::run).body().get(10, TimeUnit.SECONDS);

    assertInstanceOf(BodyCopy.SendOnce.class, body);
    CompletableFuture<byte[]> read = read(body);
    assertTrue(read.isCompletedExceptionally());
    assertEquals(boom, read.handle((b, e) -> e).get());
  }

  @Test
  void cancellingWhileTheBodyIsReadStopsReadingIt() throws Exception {
    List<String> signals = new java.util.concurrent.CopyOnWriteArrayList<>();
    CompletableFuture<Flow.Subscription> held = new CompletableFuture<>();
    BodyPublisher stalled = BodyPublishers.fromPublisher(subscriber -> subscriber.onSubscribe(new Flow.Subscription() {
      @Override public void request(long n) { held.complete(this); }
      @Override public void cancel() { signals.add("cancelled"); }
    }));
    BodyCopy copy = BodyCopy.start(post(stalled), 1000, threads);
    held.get(10, TimeUnit.SECONDS);

    copy.cancel();

    assertEquals(List.of("cancelled"), signals);
    assertTrue(copy.body().isCancelled());
  }

  @Test
  void cancellingSendAsyncWhileTheBodyIsReadStopsReadingItAndSendsNothing() throws Exception {
    List<String> signals = new java.util.concurrent.CopyOnWriteArrayList<>();
    CompletableFuture<Flow.Subscription> held = new CompletableFuture<>();
    BodyPublisher stalled = BodyPublishers.fromPublisher(subscriber -> subscriber.onSubscribe(new Flow.Subscription() {
      @Override public void request(long n) { held.complete(this); }
      @Override public void cancel() { signals.add("cancelled"); }
    }));
    java.net.http.HttpClient nowhere = java.net.http.HttpClient.newBuilder().executor(threads).build();
    java.net.http.HttpClient client = com.assignr.resilience.jdk.AssignrHttpClient.wrap(nowhere,
        com.assignr.resilience.AssignrResilience.defaults());
    CompletableFuture<?> call = client.sendAsync(
        HttpRequest.newBuilder(URI.create("https://localhost:1/api/v2/sites/1/games")).POST(stalled).build(),
        java.net.http.HttpResponse.BodyHandlers.discarding());
    held.get(10, TimeUnit.SECONDS);

    assertTrue(call.cancel(true));

    assertEquals(List.of("cancelled"), signals, "the body's reading was stopped");
  }

  /** The JDK's timeout covers sending the body; reading it ahead is held to the same timeout. */
  @Test
  void aBodyStalledPastTheRequestsTimeoutFailsTheCallAsTheJdkWouldAndIsCancelled() throws Exception {
    for (boolean async : new boolean[] {false, true}) {
      List<String> signals = new java.util.concurrent.CopyOnWriteArrayList<>();
      BodyPublisher stalled = BodyPublishers.fromPublisher(subscriber -> subscriber.onSubscribe(new Flow.Subscription() {
        @Override public void request(long n) { }
        @Override public void cancel() { signals.add("cancelled"); }
      }));
      java.net.http.HttpClient client = com.assignr.resilience.jdk.AssignrHttpClient.wrap(
          java.net.http.HttpClient.newBuilder().executor(threads).build(),
          com.assignr.resilience.AssignrResilience.defaults());
      HttpRequest request = HttpRequest.newBuilder(URI.create("https://localhost:1/api/v2/sites/1/games"))
          .timeout(java.time.Duration.ofMillis(200)).POST(stalled).build();

      Throwable failure;
      if (async) {
        failure = org.junit.jupiter.api.Assertions.assertThrows(java.util.concurrent.ExecutionException.class,
            () -> client.sendAsync(request, java.net.http.HttpResponse.BodyHandlers.discarding()).get(10, TimeUnit.SECONDS))
            .getCause();
      } else {
        failure = org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
            () -> client.send(request, java.net.http.HttpResponse.BodyHandlers.discarding()));
      }

      assertInstanceOf(java.net.http.HttpTimeoutException.class, failure, "async=" + async);
      assertEquals(List.of("cancelled"), signals, "async=" + async);
    }
  }
}
