package com.assignr.resilience.okhttp.internal;

import com.assignr.resilience.AccessToken;
import com.assignr.resilience.TokenSource;
import com.assignr.resilience.internal.ClientCredentialsGrant;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * The client-credentials grant on OkHttp, one {@code enqueue} per fetch. Not for users: call
 * {@code AssignrOAuth.clientCredentials(...)}.
 */
public final class OkHttpTokenSource implements TokenSource {
  private static final MediaType FORM = MediaType.get(ClientCredentialsGrant.FORM_MEDIA_TYPE);

  private final OkHttpClient client;
  private final ClientCredentialsGrant grant;
  private final Request request;

  public OkHttpTokenSource(OkHttpClient users, ClientCredentialsGrant grant, Duration timeout) {
    OkHttpClient.Builder b = users.newBuilder()
        .followRedirects(false)
        .followSslRedirects(false)
        .callTimeout(timeout);
    // The token request must not pass through the user's interceptors (logging would print the
    // secret and the token, auth would recurse) nor through AssignrInterceptor's retries and gate.
    b.interceptors().clear();
    b.networkInterceptors().clear();
    this.client = b.build();
    this.grant = grant;
    this.request = new Request.Builder()
        .url(grant.tokenUri().toString())
        .header("Accept", "application/json")
        .post(RequestBody.create(grant.formBody().getBytes(StandardCharsets.UTF_8), FORM))
        .build();
  }

  @Override
  public CompletableFuture<AccessToken> fetchToken() {
    Call call;
    try {
      call = client.newCall(request);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    CompletableFuture<AccessToken> result = new CompletableFuture<>() {
      @Override
      public boolean cancel(boolean mayInterruptIfRunning) {
        boolean cancelled = super.cancel(mayInterruptIfRunning);
        call.cancel();
        return cancelled;
      }
    };
    try {
      call.enqueue(new Callback() {
        @Override
        public void onFailure(Call c, IOException e) {
          result.completeExceptionally(e);
        }

        @Override
        public void onResponse(Call c, Response response) {
          try (response) {
            ResponseBody body = response.body();
            byte[] bytes;
            try (InputStream in = body.byteStream()) {
              bytes = in.readNBytes(ClientCredentialsGrant.MAX_BODY_BYTES + 1);
            }
            boolean truncated = bytes.length > ClientCredentialsGrant.MAX_BODY_BYTES;
            String text = new String(bytes, 0, Math.min(bytes.length, ClientCredentialsGrant.MAX_BODY_BYTES),
                StandardCharsets.UTF_8);
            result.complete(grant.interpret(response.code(), text, truncated));
          } catch (IOException | RuntimeException e) {
            result.completeExceptionally(e);
          }
        }
      });
    } catch (RuntimeException e) {
      result.completeExceptionally(e);
    }
    return result;
  }

  /** The endpoint and a hash of the client id; never the secret. */
  @Override
  public String toString() {
    return "OkHttp " + grant;
  }
}
