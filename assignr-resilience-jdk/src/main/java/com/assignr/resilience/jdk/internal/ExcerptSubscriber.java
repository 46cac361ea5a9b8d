package com.assignr.resilience.jdk.internal;

import java.net.http.HttpResponse.BodySubscriber;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Reads a body the adapter will not return: keeps its first {@code limit} bytes (for an
 * exception's excerpt) and drops the rest as it arrives, so a 5 MB error page costs at most
 * {@code limit} bytes of heap however large it is. Reading it to the end, rather than cancelling,
 * lets the JDK return the connection to its pool before the retry.
 */
final class ExcerptSubscriber<T> implements BodySubscriber<AttemptBody<T>> {
  private final int limit;
  private final CompletableFuture<AttemptBody<T>> body = new CompletableFuture<>();
  private Flow.Subscription subscription;
  private byte[] kept = new byte[0];
  private int size;
  private long total;

  ExcerptSubscriber(int limit) {
    this.limit = limit;
  }

  @Override
  public CompletionStage<AttemptBody<T>> getBody() {
    return body;
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    if (subscription != null) {
      s.cancel();
      return;
    }
    subscription = s;
    s.request(Long.MAX_VALUE);
  }

  @Override
  public void onNext(List<ByteBuffer> buffers) {
    for (ByteBuffer b : buffers) {
      int n = b.remaining();
      total += n;
      int take = Math.min(n, limit - size);
      if (take > 0) {
        if (size + take > kept.length) {
          kept = Arrays.copyOf(kept, Math.min(limit, Math.max(size + take, kept.length * 2)));
        }
        b.get(kept, size, take);
        size += take;
      }
    }
  }

  @Override
  public void onError(Throwable t) {
    body.completeExceptionally(t);
  }

  @Override
  public void onComplete() {
    body.complete(new AttemptBody.Discarded<>(Arrays.copyOf(kept, size), total));
  }
}
