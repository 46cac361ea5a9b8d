package com.assignr.resilience.jdk.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.assignr.resilience.AssignrResilience;
import com.assignr.resilience.spi.HeaderLookup;
import com.assignr.resilience.RequestInfo;
import com.assignr.resilience.RetryPolicy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The pieces of the body and request handling, without a server. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class InternalsTest {
  static final URI URL = URI.create("https://api.assignr.com/api/v2/games/1");

  @Test
  void theExcerptSubscriberKeepsTheFirstBytesOfManyBuffersAndCountsTheRest() {
    ExcerptSubscriber<String> s = new ExcerptSubscriber<>(5);
    s.onSubscribe(new Flow.Subscription() {
      @Override public void request(long n) { }
      @Override public void cancel() { }
    });
    s.onNext(List.of(bytes("ab"), bytes("cd")));
    s.onNext(List.of(bytes("efgh")));
    s.onComplete();

    AttemptBody.Discarded<String> body =
        (AttemptBody.Discarded<String>) s.getBody().toCompletableFuture().join();
    assertEquals("abcde", new String(body.excerpt(), StandardCharsets.UTF_8));
    assertEquals(8, body.totalBytes());
    assertFalse(body.complete());
  }

  @Test
  void onlyPublishersThatCanBeResubscribedAreReplayable() throws Exception {
    assertTrue(Requests.isReplayable(request(null)));
    assertTrue(Requests.isReplayable(request(BodyPublishers.noBody())));
    assertTrue(Requests.isReplayable(request(BodyPublishers.ofString("{}"))));
    assertTrue(Requests.isReplayable(request(BodyPublishers.ofByteArray(new byte[] {1}))));
    assertTrue(Requests.isReplayable(request(BodyPublishers.ofFile(Path.of("pom.xml")))));
    assertFalse(Requests.isReplayable(request(BodyPublishers.ofInputStream(() -> null))));
    assertFalse(Requests.isReplayable(request(BodyPublishers.ofByteArrays(List.of()))));
    assertFalse(Requests.isReplayable(request(BodyPublishers.fromPublisher(BodyPublishers.noBody()))));
    assertTrue(Requests.isReplayable(request(Requests.replayable(BodyPublishers.ofInputStream(() -> null)))));
  }

  @Test
  void assignrHeadersAreAddedOnlyWhenMissing() {
    HttpRequest bare = HttpRequest.newBuilder(URL).POST(BodyPublishers.ofString("{}"))
        .timeout(Duration.ofSeconds(3)).header("Authorization", "Bearer t").build();
    HttpRequest added = Requests.withAssignrHeaders(bare, "application/json");
    assertEquals(List.of(AssignrResilience.ASSIGNR_MEDIA_TYPE), added.headers().allValues("accept"));
    assertEquals(List.of("application/json"), added.headers().allValues("content-type"));
    assertEquals(bare.timeout(), added.timeout());
    assertEquals(bare.bodyPublisher(), added.bodyPublisher());
    assertEquals(List.of("Bearer t"), added.headers().allValues("Authorization"));

    HttpRequest complete = HttpRequest.newBuilder(URL).header("accept", "text/plain").build();
    assertTrue(complete == Requests.withAssignrHeaders(complete, "application/json"));
  }

  private static ByteBuffer bytes(String s) {
    return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
  }

  private static HttpRequest request(HttpRequest.BodyPublisher body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URL);
    return (body == null ? b.GET() : b.POST(body)).build();
  }

  private static <T> HttpResponse<T> response(int status, T body) {
    HttpRequest request = HttpRequest.newBuilder(URL).build();
    HttpHeaders headers = HttpHeaders.of(Map.of("Content-Type", List.of("application/json")), (a, b) -> true);
    return new HttpResponse<T>() {
      @Override public int statusCode() { return status; }
      @Override public HttpRequest request() { return request; }
      @Override public Optional<HttpResponse<T>> previousResponse() { return Optional.empty(); }
      @Override public HttpHeaders headers() { return headers; }
      @Override public T body() { return body; }
      @Override public Optional<SSLSession> sslSession() { return Optional.empty(); }
      @Override public URI uri() { return URL; }
      @Override public HttpClient.Version version() { return HttpClient.Version.HTTP_1_1; }
    };
  }
}
