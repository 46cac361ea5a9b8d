package com.assignr.resilience.spi;

/**
 * The {@link AttemptContext} of an attempt whose client picks how to read a body from the status
 * and headers ({@code java.net.http}'s {@code BodyHandler}): such an adapter settles the attempt
 * as soon as they arrive, so the executor's decision tells it whether to read the body for the
 * caller or only an excerpt. Given by {@link RetryExecutor#executeSettlingOnHeaders} and {@link
 * RetryExecutor#executeAsyncSettlingOnHeaders}.
 */
public interface HeaderTimeContext extends AttemptContext {

  /**
   * Settles this attempt as soon as its status and headers are known, before its body is read:
   * the executor feeds the gate and the breaker, fires the events and asks the engine now, once,
   * and the attempt's completion later uses this decision.
   *
   * @param status the HTTP status
   * @param headers the response headers
   * @return true when the response will be returned to the caller (read its body for them);
   *     false when it will be retried or turned into an exception (read at most an excerpt,
   *     then let it go)
   */
  boolean settleOnHeaders(int status, HeaderLookup headers);
}
