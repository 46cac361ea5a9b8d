package com.assignr.resilience.jdk;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** Every scenario runs both ways: {@code send} on the test thread, {@code sendAsync} joined. */
enum Mode {
  SYNC {
    @Override
    <T> HttpResponse<T> call(HttpClient client, HttpRequest request, BodyHandler<T> handler)
        throws Exception {
      return client.send(request, handler);
    }
  },
  ASYNC {
    @Override
    <T> HttpResponse<T> call(HttpClient client, HttpRequest request, BodyHandler<T> handler)
        throws Exception {
      try {
        return client.sendAsync(request, handler).get(20, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        if (e.getCause() instanceof Exception cause) throw cause;
        throw e;
      }
    }
  };

  /** Sends, returning the response or throwing what the call failed with (unwrapped). */
  abstract <T> HttpResponse<T> call(HttpClient client, HttpRequest request, BodyHandler<T> handler)
      throws Exception;
}
