package com.assignr.resilience.jdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.assignr.resilience.AssignrResilience;
import com.assignr.resilience.RateLimitedException;
import com.assignr.resilience.RetryListener;
import com.assignr.resilience.RetryPolicy;
import com.assignr.resilience.StopReason;
import com.assignr.resilience.testkit.VirtualTime;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The JDK adapter settles each attempt when its headers arrive; a response to retry is drained
 * into an excerpt. If the call's deadline passes while that body drains, the retry decided at
 * header time can no longer be waited for: the call gives up with the typed exception, as a gate
 * wait past the deadline does, and nothing more is sent.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class DrainDeadlineTest {
  private static final URI URL = URI.create("https://api.assignr.com/api/v2/games");

  /** A delegate that answers 429 (reset in 2 s) and takes {@code drain} of virtual time to deliver the body. */
  private static final class SlowBodyClient extends StubHttpClient {
    final AtomicInteger sent = new AtomicInteger();

    SlowBodyClient(VirtualTime time, Duration drain) {
      super(null);
      this.time = time;
      this.drain = drain;
    }

    private final VirtualTime time;
    private final Duration drain;

    @Override
    @SuppressWarnings("unchecked")
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
      sent.incrementAndGet();
      HttpHeaders headers = HttpHeaders.of(Map.of(
          "X-Ratelimit-Reset-Seconds-Remaining", List.of("2"), "X-Ratelimit-Remaining", List.of("0")),
          (a, b) -> true);
      HttpResponse.ResponseInfo info = new HttpResponse.ResponseInfo() {
        @Override public int statusCode() { return 429; }
        @Override public HttpHeaders headers() { return headers; }
        @Override public HttpClient.Version version() { return HttpClient.Version.HTTP_1_1; }
      };
      HttpResponse.BodySubscriber<T> subscriber = handler.apply(info);
      subscriber.onSubscribe(new Flow.Subscription() {
        @Override public void request(long n) { }
        @Override public void cancel() { }
      });
      time.advance(drain); // the error page takes this long to arrive
      subscriber.onNext(List.of(ByteBuffer.wrap("{\"error\":\"slow down\"}".getBytes(StandardCharsets.UTF_8))));
      subscriber.onComplete();
      return subscriber.getBody().toCompletableFuture().thenApply(body -> (HttpResponse<T>) new HttpResponse<T>() {
        @Override public int statusCode() { return 429; }
        @Override public HttpRequest request() { return request; }
        @Override public Optional<HttpResponse<T>> previousResponse() { return Optional.empty(); }
        @Override public HttpHeaders headers() { return headers; }
        @Override public T body() { return body; }
        @Override public Optional<SSLSession> sslSession() { return Optional.empty(); }
        @Override public URI uri() { return URL; }
        @Override public HttpClient.Version version() { return HttpClient.Version.HTTP_1_1; }
      });
    }
  }

  @ParameterizedTest(name = "async={0}")
  @ValueSource(booleans = {false, true})
  void aDeadlinePassedWhileTheDiscardedBodyDrainedGivesUpTyped(boolean async) throws Exception {
    VirtualTime time = VirtualTime.manual();
    // Deadline 5 s; at header time the retry (2 s + 1 s margin, no jitter) fits; the body then takes 4 s.
    AssignrResilience resilience = AssignrResilience.builder().timeSource(time).random(() -> 0.0)
        .listener(RetryListener.NONE)
        .policy(RetryPolicy.builder().totalTimeout(Duration.ofSeconds(5)).build()).build();
    SlowBodyClient delegate = new SlowBodyClient(time, Duration.ofSeconds(4));
    AssignrHttpClient client = AssignrHttpClient.wrap(delegate, resilience);
    HttpRequest request = HttpRequest.newBuilder(URL).GET().build();

    Throwable failure;
    if (async) {
      ExecutionException e = assertThrows(ExecutionException.class,
          () -> client.sendAsync(request, BodyHandlers.ofString()).get(10, TimeUnit.SECONDS));
      failure = e.getCause();
    } else {
      failure = assertThrows(RateLimitedException.class, () -> client.send(request, BodyHandlers.ofString()));
    }
    RateLimitedException e = assertInstanceOf(RateLimitedException.class, failure);
    assertEquals(StopReason.DEADLINE_EXCEEDED, e.stopReason());
    assertEquals(1, delegate.sent.get(), "nothing more was sent");
    assertTrue(e.getMessage().contains("429"), e.getMessage());
    assertEquals("{\"error\":\"slow down\"}", e.bodyExcerpt(), "the drained body is kept as the excerpt");
    assertEquals(List.of(), async ? time.scheduledDelays() : time.sleeps(), "no wait was started");
  }
}
