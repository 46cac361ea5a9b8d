package com.assignr.resilience.spi;

import java.time.Duration;
import java.util.Objects;

/**
 * Per-call inputs to the {@link RetryExecutor} that only the caller's client knows: its own
 * deadline, its cancellation, and the credentials the request carries (from which the default
 * {@link com.assignr.resilience.QuotaKey} derives the call's quota). The executor finds the gate itself.
 *
 * <p>The credentials are used only to compute the quota key (the default hashes them) and are
 * never printed: {@link #toString()} says only whether there are any.
 */
public final class CallOptions {
  private static final CallOptions NONE = new CallOptions(null, CancellationSignal.NEVER, null);

  private final Duration timeout;
  private final CancellationSignal cancellation;
  private final String credentials;

  private CallOptions(Duration timeout, CancellationSignal cancellation, String credentials) {
    this.timeout = timeout;
    this.cancellation = Objects.requireNonNull(cancellation, "cancellation");
    this.credentials = credentials;
  }

  /** No deadline of the caller's, never cancelled, no credentials. */
  public static CallOptions none() {
    return NONE;
  }

  /**
   * The caller's deadline for the whole call (OkHttp's call timeout, {@code HttpRequest.timeout()}),
   * or null; the policy's {@code totalTimeout} applies as well, whichever is earlier.
   */
  public Duration timeout() {
    return timeout;
  }

  /** Tells waits and retries that the caller gave up. */
  public CancellationSignal cancellation() {
    return cancellation;
  }

  /** The request's {@code Authorization} value, or null: for the quota key only. */
  public String credentials() {
    return credentials;
  }

  /**
   * These options with the caller's deadline; zero, negative or null means none.
   *
   * @param timeout the whole call's deadline
   * @return new options
   */
  public CallOptions withTimeout(Duration timeout) {
    Duration t = timeout == null || timeout.isNegative() || timeout.isZero() ? null : timeout;
    return new CallOptions(t, cancellation, credentials);
  }

  /**
   * These options with the caller's cancellation signal.
   *
   * @param cancellation the signal
   * @return new options
   */
  public CallOptions withCancellation(CancellationSignal cancellation) {
    return new CallOptions(timeout, cancellation, credentials);
  }

  /**
   * These options with the credentials the request carries (its {@code Authorization} value).
   *
   * @param credentials the value, or null
   * @return new options
   */
  public CallOptions withCredentials(String credentials) {
    return new CallOptions(timeout, cancellation, credentials);
  }

  @Override
  public String toString() {
    return "CallOptions{timeout=" + timeout + (credentials == null ? ", no credentials" : ", credentials=<hidden>") + '}';
  }
}
