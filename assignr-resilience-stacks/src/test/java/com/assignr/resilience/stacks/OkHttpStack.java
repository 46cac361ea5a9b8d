package com.assignr.resilience.stacks;

import com.assignr.resilience.testkit.AssignrSimulator;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/** A {@link StackClient} over an OkHttp {@link Call.Factory}: a client with the interceptor, or our factory. */
final class OkHttpStack implements StackClient {
  static final String TOKEN = "Bearer stacks-test";
  static final MediaType JSON = MediaType.get(AssignrSimulator.MEDIA_TYPE);

  private final Call.Factory calls;
  private final OkHttpClient underlying;
  private final String base;
  private final boolean enqueue;

  OkHttpStack(Call.Factory calls, OkHttpClient underlying, String base, boolean enqueue) {
    this.calls = calls;
    this.underlying = underlying;
    this.base = base;
    this.enqueue = enqueue;
  }

  @Override
  public int get(String path) throws IOException {
    return send(new Request.Builder().url(base + path).header("Authorization", TOKEN).build());
  }

  @Override
  public int write(String method, String path, String json) throws IOException {
    return send(new Request.Builder().url(base + path).header("Authorization", TOKEN)
        .method(method, RequestBody.create(json, JSON)).build());
  }

  private int send(Request request) throws IOException {
    Call call = calls.newCall(request);
    try (Response response = enqueue ? enqueued(call) : call.execute()) {
      return response.code();
    }
  }

  private static Response enqueued(Call call) throws IOException {
    CompletableFuture<Response> result = new CompletableFuture<>();
    call.enqueue(new Callback() {
      @Override
      public void onFailure(Call c, IOException e) {
        result.completeExceptionally(e);
      }

      @Override
      public void onResponse(Call c, Response response) {
        result.complete(response);
      }
    });
    try {
      return result.get(20, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) throw io;
      throw new AssertionError(e.getCause());
    } catch (Exception e) {
      throw new AssertionError("the call did not end", e);
    }
  }

  @Override
  public void close() {
    underlying.dispatcher().executorService().shutdown();
    underlying.connectionPool().evictAll();
  }
}
