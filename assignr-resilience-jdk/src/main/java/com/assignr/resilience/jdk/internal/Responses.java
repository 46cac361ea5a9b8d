package com.assignr.resilience.jdk.internal;

import com.assignr.resilience.spi.HeaderLookup;
import com.assignr.resilience.spi.ResponseAdapter;
import java.io.InputStream;
import java.net.http.HttpHeaders;
import java.net.http.HttpResponse;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Flow;

/** How the executor sees the wrapped client's responses. */
final class Responses<T> implements ResponseAdapter<HttpResponse<AttemptBody<T>>> {

  @Override
  public int status(HttpResponse<AttemptBody<T>> response) {
    return response.statusCode();
  }

  @Override
  public HeaderLookup headers(HttpResponse<AttemptBody<T>> response) {
    return lookup(response.headers());
  }

  /**
   * The response as returned to the caller: the attempt's status line and metadata, the body the
   * caller's handler read. Only a response the executor settled as "returned" reaches here.
   */
  static <T> HttpResponse<T> toCaller(HttpResponse<AttemptBody<T>> response) {
    if (!(response.body() instanceof AttemptBody.Delivered<T> delivered)) {
      throw new IllegalStateException("a discarded body reached the caller: " + response.body());
    }
    return new Returned<>(response, delivered.value());
  }

  /** The response as returned: the attempt's status line and metadata, the caller's body. */
  static final class Returned<T> implements HttpResponse<T> {
    private final HttpResponse<?> attempt;
    private final T body;

    Returned(HttpResponse<?> attempt, T body) {
      this.attempt = attempt;
      this.body = body;
    }

    @Override public int statusCode() { return attempt.statusCode(); }
    /** The request as the final attempt sent it (Assignr's headers included). */
    @Override public java.net.http.HttpRequest request() { return attempt.request(); }
    /** Redirects the wrapped client followed in the final attempt; their bodies are null, as in the JDK. */
    @Override public java.util.Optional<HttpResponse<T>> previousResponse() {
      return attempt.previousResponse().map(p -> new Returned<T>(p, null));
    }
    @Override public HttpHeaders headers() { return attempt.headers(); }
    @Override public T body() { return body; }
    @Override public java.util.Optional<javax.net.ssl.SSLSession> sslSession() { return attempt.sslSession(); }
    @Override public java.net.URI uri() { return attempt.uri(); }
    @Override public java.net.http.HttpClient.Version version() { return attempt.version(); }

    @Override
    public String toString() {
      return "(" + request().method() + " " + uri() + ") " + statusCode();
    }
  }

  /**
   * An excerpt subscriber's body needs nothing: it was read to the end and dropped. A body the
   * caller's handler read is released the way its type allows: streams are closed (which lets
   * the JDK drain or drop the connection), publishers are subscribed to and cancelled. Other
   * types ({@code String}, {@code byte[]}, a file path) were already fully read.
   */
  @Override
  public void discard(HttpResponse<AttemptBody<T>> response) {
    AttemptBody<T> body = response.body();
    if (body instanceof AttemptBody.Delivered<T> delivered) release(delivered.value());
  }

  @Override
  public String bodyExcerpt(HttpResponse<AttemptBody<T>> response, int maxChars) {
    AttemptBody<T> body = response.body();
    String text;
    if (body instanceof AttemptBody.Discarded<T> discarded) {
      text = new String(discarded.excerpt(), charset(response.headers()));
    } else {
      Object value = ((AttemptBody.Delivered<T>) body).value();
      if (value instanceof String s) text = s;
      else if (value instanceof byte[] bytes) text = new String(bytes, charset(response.headers()));
      else return null;
    }
    return text.length() <= maxChars ? text : text.substring(0, maxChars);
  }

  /** How the executor sees a response whose body is the caller's own type (the push-promise path). */
  static <T> ResponseAdapter<HttpResponse<T>> plain() {
    return new ResponseAdapter<>() {
      @Override public int status(HttpResponse<T> response) { return response.statusCode(); }
      @Override public HeaderLookup headers(HttpResponse<T> response) { return lookup(response.headers()); }
      @Override public void discard(HttpResponse<T> response) { release(response.body()); }
      @Override public String bodyExcerpt(HttpResponse<T> response, int maxChars) {
        Object value = response.body();
        String text = value instanceof String s ? s
            : value instanceof byte[] bytes ? new String(bytes, charset(response.headers())) : null;
        return text == null || text.length() <= maxChars ? text : text.substring(0, maxChars);
      }
    };
  }

  static HeaderLookup lookup(HttpHeaders headers) {
    return name -> headers.firstValue(name).orElse(null);
  }

  /** The charset named by {@code Content-Type}, else UTF-8 (what Assignr's JSON uses). */
  static Charset charset(HttpHeaders headers) {
    String type = headers.firstValue("Content-Type").orElse("");
    for (String part : type.split(";")) {
      String p = part.trim();
      if (p.regionMatches(true, 0, "charset=", 0, 8)) {
        try {
          return Charset.forName(p.substring(8).replace("\"", "").trim());
        } catch (RuntimeException e) {
          return StandardCharsets.UTF_8;
        }
      }
    }
    return StandardCharsets.UTF_8;
  }

  /** Releases a body of any type without throwing. */
  static void release(Object value) {
    try {
      if (value instanceof InputStream in) {
        in.close();
      } else if (value instanceof AutoCloseable closeable) {
        closeable.close();
      } else if (value instanceof Flow.Publisher<?> publisher) {
        publisher.subscribe(new Flow.Subscriber<Object>() {
          @Override public void onSubscribe(Flow.Subscription s) { s.cancel(); }
          @Override public void onNext(Object item) { }
          @Override public void onError(Throwable t) { }
          @Override public void onComplete() { }
        });
      }
    } catch (Exception | LinkageError e) {
      // Releasing is best effort: the response is being thrown away either way.
    }
  }
}
