package com.assignr.resilience.jdk.internal;

import com.assignr.resilience.HeaderLookup;
import com.assignr.resilience.ResponseAdapter;
import java.io.InputStream;
import java.net.http.HttpHeaders;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
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

  /** A subscription that publishes one list of buffers, then completes. For {@link CallerResponses}. */
  static final class Replay implements Flow.Subscription {
    private final Flow.Subscriber<? super List<ByteBuffer>> subscriber;
    private final byte[] bytes;
    private final java.util.concurrent.atomic.AtomicInteger wip = new java.util.concurrent.atomic.AtomicInteger();
    private volatile long demand;
    private volatile boolean cancelled;
    private int state; // 0: bytes to send, 1: completion to send, 2: done

    Replay(Flow.Subscriber<? super List<ByteBuffer>> subscriber, byte[] bytes) {
      this.subscriber = subscriber;
      this.bytes = bytes;
      this.state = bytes.length == 0 ? 1 : 0;
    }

    @Override
    public void request(long n) {
      if (n <= 0) {
        cancelled = true;
        subscriber.onError(new IllegalArgumentException("non-positive request: " + n));
        return;
      }
      synchronized (this) {
        long d = demand + n;
        demand = d < 0 ? Long.MAX_VALUE : d;
      }
      drain();
    }

    @Override
    public void cancel() {
      cancelled = true;
    }

    private void drain() {
      if (wip.getAndIncrement() != 0) return;
      do {
        while (!cancelled && state < 2) {
          if (state == 0) {
            synchronized (this) {
              if (demand == 0) break;
              demand--;
            }
            state = 1;
            subscriber.onNext(List.of(ByteBuffer.wrap(bytes).asReadOnlyBuffer()));
          } else {
            state = 2;
            subscriber.onComplete();
          }
        }
      } while (wip.decrementAndGet() != 0);
    }
  }
}
