package com.assignr.resilience.httpclient5.internal;

import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.core5.util.Timeout;

/**
 * An attempt's timeouts within the call's deadline. Not for users.
 *
 * <p>HttpClient has no deadline for a whole call; the executor's (the policy's {@code
 * totalTimeout}) bounds the waits between attempts, and this bounds an attempt in flight where
 * HttpClient lets the chain do so, through the {@code RequestConfig} in the call's context: the
 * wait for a pooled connection ({@code connectionRequestTimeout}), and, when the configuration sets
 * them, the connect timeout and the {@code responseTimeout} (the socket timeout of the exchange).
 * Each is cut to the time left when it would allow longer, by more than {@link #SLACK_MILLIS} (so a
 * first attempt with the defaults, 3 minutes each way, rebuilds nothing). A timeout the
 * configuration leaves unset stays unset: HttpClient then applies the connection manager's {@code
 * ConnectionConfig}, which the chain cannot see, and a value set here could lengthen it. A disabled
 * timeout (zero: wait forever) is cut like any other.
 */
final class Hc5Timeouts {
  /** Less than this over the time left does not warrant a new configuration. */
  static final long SLACK_MILLIS = 10;

  private Hc5Timeouts() {}

  /**
   * {@code config}, or a copy whose timeouts end with the call's deadline.
   *
   * @param nanosLeft time left before the deadline, {@link Long#MAX_VALUE} for none
   */
  @SuppressWarnings("deprecation") // RequestConfig's connect timeout: deprecated for ConnectionConfig's, still honoured
  static RequestConfig bound(RequestConfig config, long nanosLeft) {
    if (nanosLeft == Long.MAX_VALUE) return config;
    // Rounded up, and at least 1 ms: a timeout of 0 would mean "none" to HttpClient.
    long leftMillis = nanosLeft <= 0 ? 1 : (nanosLeft - 1) / 1_000_000 + 1;
    Timeout lease = cut(config.getConnectionRequestTimeout(), leftMillis);
    Timeout connect = cut(config.getConnectTimeout(), leftMillis);
    Timeout response = cut(config.getResponseTimeout(), leftMillis);
    if (lease == null && connect == null && response == null) return config;
    RequestConfig.Builder b = RequestConfig.copy(config);
    if (lease != null) b.setConnectionRequestTimeout(lease);
    if (connect != null) b.setConnectTimeout(connect);
    if (response != null) b.setResponseTimeout(response);
    return b.build();
  }

  /** The time left, when {@code timeout} is set and allows longer; else null (it stands). */
  private static Timeout cut(Timeout timeout, long leftMillis) {
    if (timeout == null) return null;
    if (!timeout.isDisabled() && timeout.toMilliseconds() <= leftMillis + SLACK_MILLIS) return null;
    return Timeout.ofMilliseconds(leftMillis);
  }
}
