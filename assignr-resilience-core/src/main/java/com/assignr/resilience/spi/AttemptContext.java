package com.assignr.resilience.spi;

/**
 * What the executor tells an adapter about the attempt it is about to send: its number and how
 * much of the call's one deadline is left. Adapters keep no start time or budget of their own;
 * they bound an attempt in flight by {@link #nanosLeft()} where their client allows it.
 */
public interface AttemptContext {

  /**
   * The attempt's number.
   *
   * @return 1 for the first attempt
   */
  int number();

  /**
   * Time left before the call's deadline (the earlier of the caller's timeout and the policy's
   * {@code totalTimeout}).
   *
   * @return nanoseconds, or {@link Long#MAX_VALUE} when the call has no deadline
   */
  long nanosLeft();

  /**
   * The {@code Authorization} value the adapter must send with this attempt: the library's current
   * access token when it manages {@link Authorizer credentials} and the request carries none of its own.
   *
   * @return {@code "Bearer …"} (a secret: never log it), or null to send the request as it is
   */
  String authorization();

  /**
   * The trace-propagation headers ({@code traceparent} and the like) the adapter adds to this
   * attempt's request, from the configuration's {@link CallObserver}: the attempt's own trace
   * context. Adapters add each one, replacing any of the same name.
   *
   * @return header names and values; empty (the default) when no observer propagates
   */
  default java.util.Map<String, String> propagationHeaders() {
    return java.util.Map.of();
  }
}
