package com.assignr.resilience.jdk.internal;

import com.assignr.resilience.AccessToken;
import com.assignr.resilience.TokenSource;
import com.assignr.resilience.internal.ClientCredentialsGrant;
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

/**
 * The client-credentials grant on {@code java.net.http}, one {@code sendAsync} per fetch. Not for
 * users: call {@code AssignrOAuth.clientCredentials(...)}.
 */
public final class JdkTokenSource implements TokenSource {
  private final HttpClient client;
  private final ClientCredentialsGrant grant;
  private final HttpRequest request;

  public JdkTokenSource(HttpClient client, ClientCredentialsGrant grant, Duration timeout) {
    this.client = client;
    this.grant = grant;
    this.request = HttpRequest.newBuilder(grant.tokenUri())
        .timeout(timeout)
        .header("Content-Type", ClientCredentialsGrant.FORM_MEDIA_TYPE)
        .header("Accept", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(grant.formBody(), StandardCharsets.UTF_8))
        .build();
  }

  @Override
  public CompletableFuture<AccessToken> fetchToken() {
    CompletableFuture<HttpResponse<Bounded>> sent;
    try {
      sent = client.sendAsync(request, info -> new BoundedSubscriber(ClientCredentialsGrant.MAX_BODY_BYTES));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    CompletableFuture<AccessToken> result = new CompletableFuture<>() {
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
        return;
      }
      try {
        Bounded body = response.body();
        result.complete(grant.interpret(response.statusCode(), body.text(), body.truncated()));
      } catch (Exception e) {
        result.completeExceptionally(e);
      }
    });
    return result;
  }

  /** The endpoint and a hash of the client id; never the secret. */
  @Override
  public String toString() {
    return "java.net.http " + grant;
  }

  /** The first bytes of a body, as text, and whether more came. */
  record Bounded(String text, boolean truncated) {}

  /** Keeps at most {@code max} bytes of the body and discards the rest as it arrives. */
  static final class BoundedSubscriber implements HttpResponse.BodySubscriber<Bounded> {
    private final byte[] kept;
    private int length;
    private boolean truncated;
    private final CompletableFuture<Bounded> body = new CompletableFuture<>();

    BoundedSubscriber(int max) {
      this.kept = new byte[max];
    }

    @Override
    public CompletionStage<Bounded> getBody() {
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
        if (b.hasRemaining()) truncated = true;
      }
    }

    @Override
    public void onError(Throwable throwable) {
      body.completeExceptionally(throwable);
    }

    @Override
    public void onComplete() {
      body.complete(new Bounded(new String(kept, 0, length, StandardCharsets.UTF_8), truncated));
    }
  }
}
