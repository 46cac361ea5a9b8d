package com.assignr.resilience.okhttp.internal;

import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * Keeps OkHttp's redirect following from turning a write into a read. Not for users.
 *
 * <p>OkHttp follows 301, 302 and 303 by re-sending every method other than GET and HEAD as a
 * bodiless GET to the {@code Location}, below any application interceptor. A POST answered with a
 * 302 would then come back as the GET's 200, and the caller would believe the write succeeded.
 * The call factory sends such methods through a copy of the client that does not follow redirects
 * ({@link OkHttpReplays#writeClient}), and {@code AssignrInterceptor.configure} builds the client
 * without following; an interceptor added by hand cannot change its client, so it detects the
 * rewrite afterwards and answers with the redirect itself (which core classifies as {@code
 * INSECURE_REDIRECT} and never retries).
 */
public final class OkHttpRedirects {
  private OkHttpRedirects() {}

  /**
   * {@code response}, unless OkHttp reached it by following a redirect that changed the method of
   * {@code sent}: then the first response of the chain (the redirect answering {@code sent}),
   * bodiless, and {@code response} is closed.
   */
  public static Response undoMethodChange(Request sent, Response response) {
    if (response.priorResponse() == null || response.request().method().equals(sent.method())) {
      return response;
    }
    Response first = response.priorResponse();
    while (first.priorResponse() != null) first = first.priorResponse();
    Response redirect = first.newBuilder()
        .body(ResponseBody.create(new byte[0], null))
        .networkResponse(null)
        .cacheResponse(null)
        .build();
    OkHttpResponses.closeQuietly(response);
    return redirect;
  }
}
