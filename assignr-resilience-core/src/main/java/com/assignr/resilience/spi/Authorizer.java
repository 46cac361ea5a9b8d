package com.assignr.resilience.spi;

import com.assignr.resilience.RetryListener;
import com.assignr.resilience.TimeSource;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.CompletableFuture;

/**
 * Where the executor gets the {@code Authorization} value of each attempt when the library manages
 * the credentials ({@code AssignrResilience.Builder.credentials}): an authorization for this call
 * within this wait, its invalidation after a 401, and the quota it implies. {@code
 * assignr-resilience-oauth}'s {@code Credentials} is one (the OAuth client-credentials grant, or any
 * token source of yours, cached and refreshed); the Boot starters make one of Spring Security's
 * {@code OAuth2AuthorizedClientManager}.
 *
 * <p>The executor asks before each attempt's admission (so that waiting for a token holds no place
 * in the rate-limit gate), invalidates the value after a 401 and resends once, and turns an {@link
 * AuthorizationFailure} into the typed give-up ({@code TokenUnavailableException}, {@code
 * CredentialsRefusedException}, {@code TokenInvalidException}).
 *
 * <p>Implementations never put a token or a secret in an exception, a message or {@code toString}.
 */
public interface Authorizer {
  /**
   * The {@code Authorization} value for the next attempt, waiting on this thread if none is at
   * hand.
   *
   * @param maxWaitNanos how long the call can wait ({@link AttemptContext#nanosLeft()}); {@link
   *     Long#MAX_VALUE} for no limit
   * @param cancellation polled while waiting
   * @return the header value, e.g. {@code "Bearer <token>"}; a secret
   * @throws AuthorizationFailure if no value can be had within the wait (the call's deadline
   *     included), saying which kind of failure it is
   * @throws InterruptedIOException only when {@code cancellation} fired or the thread was
   *     interrupted (the interrupt flag is then restored)
   * @throws IOException never otherwise
   */
  String authorization(long maxWaitNanos, CancellationSignal cancellation) throws IOException;

  /**
   * As {@link #authorization}, without parking a thread.
   *
   * @param maxWaitNanos how long the call can wait; {@link Long#MAX_VALUE} for no limit
   * @return the value, or a future failed with an {@link AuthorizationFailure}; cancelling it
   *     withdraws only this caller
   */
  CompletableFuture<String> authorizationAsync(long maxWaitNanos);

  /**
   * Drops {@code authorizationThatGot401} after the API answered 401 to it, so that the next
   * {@link #authorization} gets a new value. A late 401 for a value already replaced must change
   * nothing.
   *
   * @param authorizationThatGot401 the value the refused request carried
   * @return whether it was the current value and is now dropped
   */
  boolean invalidate(String authorizationThatGot401);

  /**
   * The quota these credentials draw on, the same in every instance and across token rotations,
   * and never a secret (e.g. {@code "assignr-client#"} and a hash of the client id). The default
   * quota key of an {@code AssignrResilience} that uses them.
   *
   * @return the key
   */
  String quotaKey();

  /**
   * The time seam the waits and expiries run on; must be the configuration's own.
   *
   * @return the time source
   */
  TimeSource timeSource();

  /**
   * Called by every {@code AssignrResilience.build()} that uses these credentials, once per
   * listener of that configuration: the token events ({@link RetryListener#onTokenRefreshed},
   * {@link RetryListener#onTokenRefreshFailed}) go to them too. A listener given twice (a
   * configuration derived with {@code toBuilder()}) must be kept once. Default: ignored.
   *
   * @param listener a listener of the configuration
   */
  default void addListener(RetryListener listener) {}
}
