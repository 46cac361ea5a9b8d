package com.assignr.resilience.jdk.internal;

import com.assignr.resilience.AssignrResilience;
import com.assignr.resilience.internal.DefaultHeaders;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Flow;

/**
 * Request-side rules: Assignr's default headers, and which bodies may be sent twice.
 *
 * <h2>Which bodies are replayable</h2>
 *
 * <p>A {@code BodyPublisher} is replayable when subscribing to it again publishes the same bytes
 * again. The JDK's own {@code noBody}, {@code ofString}, {@code ofByteArray} and {@code ofFile}
 * publishers are (they hold the bytes or the path, and every subscription starts over), as is a
 * request without a body. Every other publisher is treated as one-shot: {@code ofInputStream} is
 * replayable only if its supplier hands out a fresh stream each time, {@code ofByteArrays} only if
 * its {@code Iterable} can be iterated again, {@code fromPublisher} and {@code concat} depend on
 * what they wrap, and the adapter cannot tell. A caller who knows better marks the publisher with
 * {@code AssignrHttpClient.replayable(publisher)}. The JDK classes are recognised by name because
 * they are not exported; a JDK that renames them only makes such bodies one-shot (never retried),
 * which is safe.
 *
 * <p>A one-shot body within the decorator's {@code replayCopyLimit} is replayed all the same, from
 * the copy {@link BodyCopy} takes as it is first read.
 */
public final class Requests {
  private static final Set<String> REPLAYABLE_JDK_PUBLISHERS = Set.of(
      "jdk.internal.net.http.RequestPublishers$EmptyPublisher",
      "jdk.internal.net.http.RequestPublishers$ByteArrayPublisher",
      "jdk.internal.net.http.RequestPublishers$StringPublisher",
      "jdk.internal.net.http.RequestPublishers$FilePublisher");

  private Requests() {}

  /** Whether the body of {@code request} can be sent again. */
  public static boolean isReplayable(HttpRequest request) {
    Optional<BodyPublisher> body = request.bodyPublisher();
    if (body.isEmpty()) return true;
    BodyPublisher publisher = body.get();
    return publisher instanceof ReplayablePublisher
        || publisher instanceof BodyCopy.Copied
        || REPLAYABLE_JDK_PUBLISHERS.contains(publisher.getClass().getName());
  }

  /** Marks {@code publisher} as safe to subscribe to again. */
  public static BodyPublisher replayable(BodyPublisher publisher) {
    Objects.requireNonNull(publisher, "publisher");
    return publisher instanceof ReplayablePublisher ? publisher : new ReplayablePublisher(publisher);
  }

  /**
   * {@code request} with the default headers core's {@link DefaultHeaders} names ({@code Accept},
   * and {@code Content-Type: <writeContentType>} on POST, body or not) unless the caller set them;
   * the same instance when nothing is missing.
   */
  static HttpRequest withAssignrHeaders(HttpRequest request, String writeContentType) {
    DefaultHeaders.Missing missing = DefaultHeaders.missing(request.method(), request.headers(), Requests::first);
    if (missing == DefaultHeaders.Missing.NONE) return request;
    HttpRequest.Builder copy = HttpRequest.newBuilder(request, (name, value) -> true);
    if (missing.accept()) copy.header(DefaultHeaders.ACCEPT, AssignrResilience.ASSIGNR_MEDIA_TYPE);
    if (missing.contentType()) copy.header(DefaultHeaders.CONTENT_TYPE, writeContentType);
    return copy.build();
  }

  /** The first value of a header, or null; {@code allValues} is case-insensitive and allocates nothing. */
  private static String first(HttpHeaders headers, String name) {
    List<String> values = headers.allValues(name);
    return values.isEmpty() ? null : values.get(0);
  }

  /** A publisher the caller vouched for. Delegates everything. */
  static final class ReplayablePublisher implements BodyPublisher {
    private final BodyPublisher delegate;

    ReplayablePublisher(BodyPublisher delegate) {
      this.delegate = delegate;
    }

    @Override
    public long contentLength() {
      return delegate.contentLength();
    }

    @Override
    public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
      delegate.subscribe(subscriber);
    }

    @Override
    public String toString() {
      return "replayable(" + delegate + ")";
    }
  }
}
