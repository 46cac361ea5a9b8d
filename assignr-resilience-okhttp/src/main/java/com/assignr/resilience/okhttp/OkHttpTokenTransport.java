package com.assignr.resilience.okhttp;

import com.assignr.resilience.internal.Checks;
import com.assignr.resilience.oauth.TokenTransport;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * Token requests on your {@link OkHttpClient}, for {@code assignr-resilience-oauth}:
 *
 * <pre>{@code
 * Credentials credentials = AssignrOAuth.builder()
 *     .clientId(clientId).clientSecret(clientSecret).scope("read write")
 *     .transport(OkHttpTokenTransport.of(client))
 *     .build();
 * }</pre>
 *
 * <p>Each request is one {@code enqueue} (no thread waits for it) on a client derived from yours:
 * same connection pool, dispatcher, TLS, proxy and DNS, but <b>without your interceptors</b> (a
 * logging interceptor would write the secret and the token to your logs, an auth interceptor would
 * add a token to the token request or recurse into the credentials, and an {@link
 * AssignrInterceptor} would put the token endpoint, which is not the API's quota, through the
 * API's retries and rate-limit gate), <b>without following redirects</b> (a redirected token
 * request is an error, not something to resend the secret after) and with <b>its own
 * timeouts</b>: the token request's timeout ({@code AssignrOAuth.Builder.requestTimeout}, 20 s)
 * bounds the whole call, and your client's connect, read and write timeouts (tuned for the API)
 * do not apply.
 *
 * <p>Needs {@code assignr-resilience-oauth} on the class or module path; the OkHttp adapter itself
 * does not.
 */
public final class OkHttpTokenTransport implements TokenTransport {
  private static final MediaType FORM = MediaType.get(FORM_MEDIA_TYPE);

  private final OkHttpClient client;

  private OkHttpTokenTransport(OkHttpClient users) {
    OkHttpClient.Builder b = users.newBuilder()
        .followRedirects(false)
        .followSslRedirects(false)
        // The call timeout set per request is the one bound; 0 turns the user's off.
        .connectTimeout(Duration.ZERO)
        .readTimeout(Duration.ZERO)
        .writeTimeout(Duration.ZERO)
        .callTimeout(Duration.ZERO);
    b.interceptors().clear();
    b.networkInterceptors().clear();
    this.client = b.build();
  }

  /**
   * The transport on {@code client}.
   *
   * @param client your client (its interceptors, redirects and timeouts are not used)
   * @return the transport
   * @throws com.assignr.resilience.InvalidSettingsException if {@code client} is null
   */
  public static OkHttpTokenTransport of(OkHttpClient client) {
    Checks c = new Checks("OkHttpTokenTransport");
    c.notNull("client", client);
    c.throwIfAny();
    return new OkHttpTokenTransport(client);
  }

  @Override
  public CompletableFuture<Answer> post(URI uri, String formBody, Duration timeout) {
    Call call;
    try {
      Request request = new Request.Builder()
          .url(uri.toString())
          .header("Accept", "application/json")
          .post(RequestBody.create(formBody.getBytes(StandardCharsets.UTF_8), FORM))
          .build();
      call = client.newCall(request);
      call.timeout().timeout(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    CompletableFuture<Answer> result = new CompletableFuture<>() {
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
              bytes = in.readNBytes(MAX_BODY_BYTES + 1);
            }
            boolean truncated = bytes.length > MAX_BODY_BYTES;
            String text = new String(bytes, 0, Math.min(bytes.length, MAX_BODY_BYTES), StandardCharsets.UTF_8);
            result.complete(new Answer(response.code(), text, truncated));
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

  @Override
  public String toString() {
    return "OkHttp";
  }
}
