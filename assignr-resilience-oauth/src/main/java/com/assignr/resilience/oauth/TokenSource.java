package com.assignr.resilience.oauth;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Where access tokens come from: one call, one token request, no caching (that is {@link
 * Credentials}' job, which also guarantees that only one request is in flight at a time).
 *
 * <p>{@link AssignrOAuth} provides the OAuth client-credentials grant; give it a source of your own
 * with {@link AssignrOAuth.Builder#tokenSource(TokenSource)} instead: an authorization-code flow you own, a token from a vault, a
 * fixed token in tests ({@link #fixed(AccessToken)}).
 *
 * <p>Implementations must not block the calling thread: {@code fetchToken()} is called from
 * request threads and from the library's scheduler. Do blocking work on an executor of your own
 * ({@code CompletableFuture.supplyAsync(..., yourExecutor)}). The future should fail rather than
 * hang; {@code Credentials} gives up on it after {@link AssignrOAuth.Builder#fetchTimeout} anyway and
 * cancels it. Exceptions and their messages must not contain the token or any secret: they reach
 * logs through {@link com.assignr.resilience.RetryListener#onTokenRefreshFailed}.
 */
@FunctionalInterface
public interface TokenSource {
  /**
   * Requests one new token.
   *
   * @return the token, or a future failed with the reason (an {@link java.io.IOException} such as
   *     {@link TokenEndpointException} by preference: its kind decides whether the failure is
   *     temporary, a refusal of the credentials or an invalid answer; any other failure counts as
   *     the endpoint being unavailable)
   */
  CompletableFuture<AccessToken> fetchToken();

  /**
   * A source that always answers {@code token}: for tests, or for a long-lived token obtained
   * elsewhere. After a 401 the same token is fetched again, so the retry fails the same way.
   *
   * @param token the token
   * @return the source
   */
  static TokenSource fixed(AccessToken token) {
    Objects.requireNonNull(token, "token");
    return new TokenSource() {
      @Override
      public CompletableFuture<AccessToken> fetchToken() {
        return CompletableFuture.completedFuture(token);
      }

      @Override
      public String toString() {
        return "TokenSource.fixed(" + token + ")";
      }
    };
  }
}
