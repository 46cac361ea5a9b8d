package com.assignr.resilience.okhttp;

import com.assignr.resilience.spi.ResponseAdapter;
import com.assignr.resilience.okhttp.internal.OkHttpResponses;
import okhttp3.Response;

/**
 * How core sees an OkHttp {@link Response}, for code that drives core itself: {@link
 * com.assignr.resilience.Resilience4jRetries#retryConfig} or {@link
 * com.assignr.resilience.spi.RetryExecutor} around a call of your own. It reads the first value of a
 * header (OkHttp's {@code header(name)} returns the last), closes a discarded response's body, and
 * peeks (never consumes) an excerpt of an error body.
 *
 * <pre>{@code
 * RetryConfig config = Resilience4jRetries.retryConfig(resilience, "GET", OkHttpResponseAdapter.get());
 * }</pre>
 */
public final class OkHttpResponseAdapter {
  private OkHttpResponseAdapter() {}

  /**
   * The adapter; stateless and shared.
   *
   * @return the adapter
   */
  public static ResponseAdapter<Response> get() {
    return OkHttpResponses.ADAPTER;
  }
}
