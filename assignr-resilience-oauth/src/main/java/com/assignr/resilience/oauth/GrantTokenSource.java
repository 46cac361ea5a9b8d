package com.assignr.resilience.oauth;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** The client-credentials grant over a {@link TokenTransport}: one request per fetch. */
final class GrantTokenSource implements TokenSource {
  private final ClientCredentialsGrant grant;
  private final TokenTransport transport;
  private final Duration timeout;

  GrantTokenSource(ClientCredentialsGrant grant, TokenTransport transport, Duration timeout) {
    this.grant = grant;
    this.transport = transport;
    this.timeout = timeout;
  }

  @Override
  public CompletableFuture<AccessToken> fetchToken() {
    CompletableFuture<TokenTransport.Answer> sent;
    try {
      sent = transport.post(grant.tokenUri(), grant.formBody(), timeout);
      if (sent == null) throw new IllegalStateException("the token transport returned no future");
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
    sent.whenComplete((answer, failure) -> {
      if (failure != null) {
        result.completeExceptionally(failure);
        return;
      }
      try {
        result.complete(grant.interpret(answer.status(), answer.body(), answer.truncated()));
      } catch (Exception e) {
        result.completeExceptionally(e);
      }
    });
    return result;
  }

  /** The transport, the endpoint and a hash of the client id; never the secret. */
  @Override
  public String toString() {
    return transport + " " + grant;
  }
}
