package com.assignr.resilience.oauth;

import com.assignr.resilience.RetryListener;
import com.assignr.resilience.TimeSource;
import com.assignr.resilience.spi.AttemptContext;
import com.assignr.resilience.spi.AuthorizationFailure;
import com.assignr.resilience.spi.Authorizer;
import com.assignr.resilience.spi.CancellationSignal;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * The access token of one OAuth client, cached and kept fresh for every thread and call that uses
 * it; built by {@link AssignrOAuth#builder()}. Build one per client id, share it, and give it to
 * {@code AssignrResilience.Builder.credentials(...)}: every request without an {@code
 * Authorization} header then carries {@code Bearer <token>}, and a 401 to that token invalidates it
 * and resends the request once.
 *
 * <pre>{@code
 * Credentials credentials = AssignrOAuth.builder()
 *     .clientId(clientId).clientSecret(clientSecret).scope("read write")
 *     .build();
 * AssignrResilience resilience = AssignrResilience.builder().credentials(credentials).build();
 * }</pre>
 *
 * <p>One request in flight however many callers; refreshed ahead of expiry while the old token
 * serves; failures backed off, refusals of the credentials answered at once to every caller; no
 * token request without a caller waiting for it. The design, with its numbers, is in the notes of
 * the package-private cache behind this class ({@code TokenCache}); what each failure looks like to
 * a caller is in RELIABILITY.md.
 *
 * <p>Secrets never leave: {@link #toString()}, the events, the exceptions and the {@linkplain
 * #quotaKey() quota key} hold no token, no {@code Authorization} value and not the client id.
 */
public final class Credentials implements Authorizer {
  private final TokenCache cache;

  Credentials(TokenCache cache) {
    this.cache = cache;
  }

  /**
   * The quota these credentials draw on: {@code "assignr-client#"} and the first 48 bits of the
   * SHA-256 of the client id, the same in every instance and across token rotations, and never the
   * id itself or any token. Safe for logs, metrics and shared-store keys.
   *
   * @return e.g. {@code "assignr-client#3f2a9c0d41b7"}
   */
  @Override
  public String quotaKey() {
    return cache.quotaKey();
  }

  /** @return the time seam these credentials read and schedule on */
  @Override
  public TimeSource timeSource() {
    return cache.timeSource();
  }

  /**
   * The {@code Authorization} value to send, waiting on this thread if no valid token is at hand.
   *
   * @param maxWaitNanos how long the caller can wait ({@link AttemptContext#nanosLeft()}); {@link
   *     Long#MAX_VALUE} for no limit
   * @return {@code "Bearer <token>"}; a secret
   * @throws AuthorizationFailure if no token could be had within the wait: its kind says whether
   *     the endpoint is unavailable, refused the credentials or answered nonsense; its cause is the
   *     last failure
   * @throws InterruptedIOException if the thread was interrupted (the flag is then restored)
   */
  public String authorization(long maxWaitNanos) throws IOException {
    return cache.authorization(maxWaitNanos, CancellationSignal.NEVER);
  }

  /**
   * As {@link #authorization(long)}, also giving up when {@code cancellation} fires (OkHttp's
   * {@code Call.cancel()} interrupts nobody).
   *
   * @param maxWaitNanos how long the caller can wait; {@link Long#MAX_VALUE} for no limit
   * @param cancellation polled while waiting
   * @return {@code "Bearer <token>"}; a secret
   * @throws AuthorizationFailure if no token could be had within the wait
   * @throws InterruptedIOException on cancellation or interruption only (its cause is the last
   *     token failure, if any)
   */
  @Override
  public String authorization(long maxWaitNanos, CancellationSignal cancellation) throws IOException {
    Objects.requireNonNull(cancellation, "cancellation");
    return cache.authorization(maxWaitNanos, cancellation);
  }

  /**
   * The {@code Authorization} value to send, without parking a thread: a completed future when a
   * valid token is at hand, else one that completes when the request in progress does.
   *
   * @return the value, or a future failed with {@link AuthorizationFailure}
   */
  public CompletableFuture<String> authorizationAsync() {
    return cache.authorizationAsync(Long.MAX_VALUE);
  }

  /**
   * As {@link #authorizationAsync()}, failing with {@link AuthorizationFailure} if no token came
   * within {@code maxWaitNanos} (timed on the {@link TimeSource}), at once if the next request may
   * only start after that. Cancelling the returned future withdraws only this caller.
   *
   * @param maxWaitNanos how long the caller can wait; {@link Long#MAX_VALUE} for no limit
   * @return the value
   */
  @Override
  public CompletableFuture<String> authorizationAsync(long maxWaitNanos) {
    return cache.authorizationAsync(maxWaitNanos);
  }

  /**
   * Throws the current token away after the API answered 401 to it, so that the next caller
   * fetches a new one (one fetch, however many callers). Only the current token can be
   * invalidated: a late 401 for a token already replaced changes nothing.
   *
   * @param authorizationThatGot401 the {@code Authorization} value the refused request carried
   * @return whether it was the current token and is now invalidated
   */
  @Override
  public boolean invalidate(String authorizationThatGot401) {
    return cache.invalidate(authorizationThatGot401);
  }

  /**
   * Adds a listener of the token events unless it is there already: every {@code
   * AssignrResilience} built with these credentials adds its own, so its listeners (logging,
   * metrics) hear {@link RetryListener#onTokenRefreshed} and {@link
   * RetryListener#onTokenRefreshFailed}.
   *
   * @param listener the listener
   */
  @Override
  public void addListener(RetryListener listener) {
    cache.addListener(Objects.requireNonNull(listener, "listener"));
  }

  /** The quota key and the state, never the token. */
  @Override
  public String toString() {
    return cache.toString();
  }
}
