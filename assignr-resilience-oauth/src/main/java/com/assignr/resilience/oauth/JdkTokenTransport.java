package com.assignr.resilience.oauth;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/** The token request on {@code java.net.http}, one {@code sendAsync} per fetch. */
final class JdkTokenTransport implements TokenTransport {
  private final HttpClient client;

  JdkTokenTransport(HttpClient client) {
    this.client = client;
  }

  @Override
  public CompletableFuture<Answer> post(URI uri, String formBody, Duration timeout) {
    CompletableFuture<HttpResponse<Answer>> sent;
    try {
      HttpRequest request = HttpRequest.newBuilder(uri)
          .timeout(timeout)
          .header("Content-Type", FORM_MEDIA_TYPE)
          .header("Accept", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(formBody, StandardCharsets.UTF_8))
          .build();
      sent = client.sendAsync(request, info -> new BoundedSubscriber(info.statusCode(), MAX_BODY_BYTES));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    CompletableFuture<Answer> result = new CompletableFuture<>() {
      @Override
      public boolean cancel(boolean mayInterruptIfRunning) {
        boolean cancelled = super.cancel(mayInterruptIfRunning);
        sent.cancel(true);
        return cancelled;
      }
    };
    sent.whenComplete((response, failure) -> {
      if (failure != null) {
        result.completeExceptionally(failure instanceof CompletionException && failure.getCause() != null
            ? failure.getCause() : failure);
      } else {
        result.complete(response.body());
      }
    });
    return result;
  }

  @Override
  public String toString() {
    return "java.net.http";
  }

  /** Keeps at most {@code max} bytes of the body and discards the rest as it arrives. */
  static final class BoundedSubscriber implements HttpResponse.BodySubscriber<Answer> {
    private final int status;
    private final byte[] kept;
    private int length;
    private boolean truncated;
    private final CompletableFuture<Answer> body = new CompletableFuture<>();

    BoundedSubscriber(int status, int max) {
      this.status = status;
      this.kept = new byte[max];
    }

    @Override
    public CompletionStage<Answer> getBody() {
      return body;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      subscription.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
      for (ByteBuffer b : items) {
        int n = Math.min(b.remaining(), kept.length - length);
        b.get(kept, length, n);
        length += n;
        if (b.hasRemaining()) {
          truncated = true;
          b.position(b.limit());
        }
      }
    }

    @Override
    public void onError(Throwable throwable) {
      body.completeExceptionally(throwable);
    }

    @Override
    public void onComplete() {
      body.complete(new Answer(status, new String(kept, 0, length, StandardCharsets.UTF_8), truncated));
    }
  }
}
