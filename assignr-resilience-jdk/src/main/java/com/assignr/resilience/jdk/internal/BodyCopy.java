package com.assignr.resilience.jdk.internal;

import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;

/**
 * A bounded copy of a request body that can be sent only once, so that the engine may send it
 * again when Assignr provably did not act on it (a 429, a 503, a connection never established).
 *
 * <h2>When is the copy taken, and why then?</h2>
 *
 * <p>The engine decides on every retry from the call's {@code RequestInfo}, whose {@code
 * replayableBody} is fixed when the call starts. A copy recorded <em>while</em> the first attempt
 * is sent would be complete or not only at decision time (a server may answer before it read the
 * whole body; a body may pass the limit half-way), which the engine could not know. So the copy
 * is taken as the body is first read, just before the call starts, and the call starts knowing
 * exactly what it has:
 *
 * <ul>
 *   <li>The whole body within {@code limit} bytes: the call carries the copy, a publisher that
 *       publishes the same bytes on every subscription ({@link Copied}), and is replayable like an
 *       {@code ofByteArray} body. Its {@code contentLength()} is the original's, so what goes on
 *       the wire is unchanged (chunked stays chunked).
 *   <li>More than {@code limit} bytes (or a body whose declared length is over it, which is never
 *       read ahead at all): the call carries a publisher that publishes the bytes read so far,
 *       then the rest of the original as it comes ({@link SendOnce}), and is sent once, as without
 *       a copy. At most {@code limit} bytes plus one buffer are held.
 *   <li>A body whose publisher fails while it is read: sent once, failing the same way.
 * </ul>
 *
 * <p>The copy is held for the whole call, waits included: at most {@code limit} bytes per call.
 * Reading ahead costs nothing on the wire (the bytes are read as the client would read them, only
 * sooner) and lets a 429 or 503 answered before the body was fully sent still be retried.
 */
final class BodyCopy implements Flow.Subscriber<ByteBuffer> {
  private final BodyPublisher original;
  private final long limit;
  private final CompletableFuture<BodyPublisher> result = new CompletableFuture<>();
  private final Object lock = new Object();

  // Guarded by lock.
  private Flow.Subscription upstream;
  private final ArrayDeque<ByteBuffer> queue = new ArrayDeque<>();
  private long size;
  private boolean capturing = true;
  private boolean upstreamDone;
  private Throwable upstreamError;
  private boolean cancelled;
  private Flow.Subscriber<? super ByteBuffer> downstream;
  private long demand;
  /** Items asked of the upstream while relaying and not yet received. */
  private long outstanding;
  private boolean draining;
  private boolean drainAgain;
  private boolean terminated;

  private BodyCopy(BodyPublisher original, long limit) {
    this.original = original;
    this.limit = limit;
  }

  /** Whether {@code request}'s body is one to copy: single-use, and not declared over the limit. */
  static boolean wanted(HttpRequest request, long limit) {
    if (limit <= 0 || request.bodyPublisher().isEmpty() || Requests.isReplayable(request)) return false;
    long length = request.bodyPublisher().get().contentLength();
    return length <= limit;
  }

  /**
   * Starts reading {@code request}'s body, on {@code executor}. The future completes with the body
   * the call is to carry: a {@link Copied} one, or a {@link SendOnce} one.
   */
  static BodyCopy start(HttpRequest request, long limit, Executor executor) {
    BodyCopy copy = new BodyCopy(request.bodyPublisher().orElseThrow(), limit);
    executor.execute(() -> copy.original.subscribe(copy));
    return copy;
  }

  /** {@code request} carrying {@code body} instead of its own; everything else as it was. */
  static HttpRequest carrying(HttpRequest request, BodyPublisher body) {
    return HttpRequest.newBuilder(request, (name, value) -> true).method(request.method(), body).build();
  }

  /** The body the call is to carry, once known. */
  CompletableFuture<BodyPublisher> body() {
    return result;
  }

  /** The call was abandoned before its body was read: stop reading it (once). */
  void cancel() {
    Flow.Subscription s;
    synchronized (lock) {
      if (cancelled) return;
      cancelled = true;
      queue.clear();
      s = upstream;
    }
    if (s != null) s.cancel();
    result.cancel(false);
  }

  // The original's subscriber: first the copy, then, for a body over the limit, the relay.

  @Override
  public void onSubscribe(Flow.Subscription subscription) {
    synchronized (lock) {
      if (upstream != null || cancelled) {
        subscription.cancel();
        return;
      }
      upstream = subscription;
    }
    subscription.request(1);
  }

  @Override
  public void onNext(ByteBuffer item) {
    Objects.requireNonNull(item, "item");
    boolean more = false;
    boolean decided = false;
    synchronized (lock) {
      if (cancelled) return;
      if (capturing) {
        ByteBuffer copy = ByteBuffer.allocate(item.remaining()).put(item).flip();
        queue.add(copy);
        size += copy.remaining();
        if (size > limit) {
          capturing = false;
          decided = true;
        } else {
          more = true;
        }
      } else {
        outstanding--;
        queue.add(item);
      }
    }
    if (more) upstream.request(1);
    else if (decided) result.complete(new SendOnce());
    else drain();
  }

  @Override
  public void onError(Throwable failure) {
    end(failure);
  }

  @Override
  public void onComplete() {
    end(null);
  }

  private void end(Throwable failure) {
    byte[] whole = null;
    boolean decided = false;
    synchronized (lock) {
      upstreamDone = true;
      upstreamError = failure;
      if (capturing) {
        capturing = false;
        if (failure == null) {
          whole = new byte[(int) size];
          int at = 0;
          for (ByteBuffer b : queue) {
            int n = b.remaining();
            b.get(whole, at, n);
            at += n;
          }
          queue.clear();
        } else {
          decided = true;
        }
      }
    }
    if (whole != null) result.complete(new Copied(whole, original.contentLength()));
    else if (decided) result.complete(new SendOnce());
    else drain();
  }

  /** Hands queued items to the client's subscriber as it asks, then asks the original for more. */
  private void drain() {
    synchronized (lock) {
      if (draining) {
        drainAgain = true;
        return;
      }
      draining = true;
    }
    while (true) {
      Flow.Subscriber<? super ByteBuffer> d;
      ByteBuffer item = null;
      boolean finish = false;
      Throwable error = null;
      long ask = 0;
      synchronized (lock) {
        d = downstream;
        if (cancelled || d == null || terminated) {
          draining = false;
          return;
        }
        if (demand > 0 && !queue.isEmpty()) {
          item = queue.poll();
          demand--;
        } else if (queue.isEmpty() && upstreamDone) {
          terminated = true;
          finish = true;
          error = upstreamError;
        } else if (queue.isEmpty() && demand > outstanding) {
          ask = demand - outstanding;
          outstanding = demand;
        } else if (drainAgain) {
          drainAgain = false;
          continue;
        } else {
          draining = false;
          return;
        }
      }
      if (item != null) {
        d.onNext(item);
      } else if (finish) {
        if (error != null) d.onError(error);
        else d.onComplete();
        return;
      } else {
        upstream.request(ask);
      }
    }
  }

  /** The whole body, within the limit: the same bytes on every subscription. */
  static final class Copied implements BodyPublisher {
    private final byte[] bytes;
    private final long contentLength;

    Copied(byte[] bytes, long contentLength) {
      this.bytes = bytes;
      this.contentLength = contentLength;
    }

    @Override
    public long contentLength() {
      return contentLength;
    }

    @Override
    public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
      BodyPublishers.ofByteArray(bytes).subscribe(subscriber);
    }

    @Override
    public String toString() {
      return "copied(" + bytes.length + " bytes)";
    }
  }

  /** A body over the limit: what was read, then the rest of the original. One subscription only. */
  final class SendOnce implements BodyPublisher {
    @Override
    public long contentLength() {
      return original.contentLength();
    }

    @Override
    public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
      boolean first;
      synchronized (lock) {
        first = downstream == null;
        if (first) downstream = subscriber;
      }
      if (!first) {
        subscriber.onSubscribe(new Flow.Subscription() {
          @Override public void request(long n) { }
          @Override public void cancel() { }
        });
        subscriber.onError(new IllegalStateException("a single-use request body cannot be sent twice"));
        return;
      }
      subscriber.onSubscribe(new Flow.Subscription() {
        @Override
        public void request(long n) {
          if (n <= 0) {
            synchronized (lock) {
              upstreamDone = true;
              upstreamError = new IllegalArgumentException("non-positive request: " + n);
              queue.clear();
            }
          } else {
            synchronized (lock) {
              demand = demand + n < 0 ? Long.MAX_VALUE : demand + n;
            }
          }
          drain();
        }

        @Override
        public void cancel() {
          BodyCopy.this.cancel();
        }
      });
    }

    @Override
    public String toString() {
      return "sendOnce(" + original + ")";
    }
  }
}
