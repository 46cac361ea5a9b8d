package com.assignr.resilience.jdk.internal;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.BodySubscriber;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLSession;

/**
 * Turns the final attempt's response into the {@code HttpResponse<T>} the caller asked for.
 *
 * <p>Normally the caller's handler already read it, and this only unwraps the body. In the rare
 * case described in {@link Preclassifier} (the body was drained as an excerpt, then the executor
 * decided not to retry after all), the excerpt is replayed through the caller's handler, so the
 * caller still gets a {@code T}. When the excerpt is the whole body (every Assignr error body is
 * far smaller than the default 4096 bytes) this is exact; when it is not, the caller's handler
 * sees the first {@code bodyExcerptChars} bytes and the response carries the header {@value
 * #TRUNCATED_HEADER} with the original body length, so a truncated body is never mistaken for a
 * whole one.
 */
public final class CallerResponses {
  /** Marks a response whose body was cut to the excerpt; its value is the original length. */
  public static final String TRUNCATED_HEADER = "X-Assignr-Resilience-Body-Truncated";

  private CallerResponses() {}

  /** The caller's view of {@code response}, its body read (or replayed) by {@code handler}. */
  public static <T> CompletableFuture<HttpResponse<T>> toCaller(
      HttpResponse<AttemptBody<T>> response, BodyHandler<T> handler) {
    AttemptBody<T> body = response.body();
    if (body instanceof AttemptBody.Delivered<T> delivered) {
      return CompletableFuture.completedFuture(
          new Returned<>(response, response.headers(), delivered.value()));
    }
    AttemptBody.Discarded<T> discarded = (AttemptBody.Discarded<T>) body;
    HttpHeaders headers = discarded.complete() ? response.headers()
        : withHeader(response.headers(), TRUNCATED_HEADER, Long.toString(discarded.totalBytes()));
    HttpResponse.ResponseInfo info = new Info(response.statusCode(), headers, response.version());
    BodySubscriber<T> subscriber;
    try {
      subscriber = Objects.requireNonNull(handler.apply(info), "the BodyHandler returned null");
      subscriber.onSubscribe(new Responses.Replay(subscriber, discarded.excerpt()));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    return subscriber.getBody().toCompletableFuture()
        .thenApply(value -> new Returned<>(response, headers, value));
  }

  private static HttpHeaders withHeader(HttpHeaders headers, String name, String value) {
    Map<String, List<String>> map = new HashMap<>(headers.map());
    map.put(name, List.of(value));
    return HttpHeaders.of(map, (n, v) -> true);
  }

  private record Info(int statusCode, HttpHeaders headers, HttpClient.Version version)
      implements HttpResponse.ResponseInfo {}

  /** The response as returned: the attempt's status line and metadata, the caller's body. */
  static final class Returned<T> implements HttpResponse<T> {
    private final HttpResponse<?> attempt;
    private final HttpHeaders headers;
    private final T body;

    Returned(HttpResponse<?> attempt, HttpHeaders headers, T body) {
      this.attempt = attempt;
      this.headers = headers;
      this.body = body;
    }

    @Override public int statusCode() { return attempt.statusCode(); }
    /** The request as the final attempt sent it (Assignr's headers included). */
    @Override public HttpRequest request() { return attempt.request(); }
    /** Redirects the wrapped client followed in the final attempt; their bodies are null, as in the JDK. */
    @Override public Optional<HttpResponse<T>> previousResponse() {
      return attempt.previousResponse().map(p -> new Returned<T>(p, p.headers(), null));
    }
    @Override public HttpHeaders headers() { return headers; }
    @Override public T body() { return body; }
    @Override public Optional<SSLSession> sslSession() { return attempt.sslSession(); }
    @Override public URI uri() { return attempt.uri(); }
    @Override public HttpClient.Version version() { return attempt.version(); }

    @Override
    public String toString() {
      return "(" + request().method() + " " + uri() + ") " + statusCode();
    }
  }
}
