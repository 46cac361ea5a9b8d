package com.assignr.resilience.oauth;

import com.assignr.resilience.internal.Checks;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * How a token request travels: one {@code POST} of a form, its answer read into at most {@link
 * #MAX_BODY_BYTES}. {@link AssignrOAuth} uses {@link #jdk()} unless given another one; {@code
 * assignr-resilience-okhttp}'s {@code OkHttpTokenTransport} sends on your OkHttp client.
 *
 * <p>A transport must not follow redirects (a redirected token request would re-send the client
 * secret to wherever the redirect points), must not pass the request through the application's
 * interceptors (a logging interceptor would print the secret), must bound the whole exchange by the
 * given timeout, must not block the calling thread, and must make the returned future's {@code
 * cancel} abandon the request. Its failures never quote the request body.
 */
public interface TokenTransport {
  /** The most bytes of an answer a transport keeps; a token answer is a few hundred. */
  int MAX_BODY_BYTES = 64 * 1024;

  /** The form's media type, sent as {@code Content-Type}. */
  String FORM_MEDIA_TYPE = "application/x-www-form-urlencoded";

  /**
   * Sends {@code POST uri} with {@code formBody} ({@code Content-Type:} {@value #FORM_MEDIA_TYPE},
   * {@code Accept: application/json}).
   *
   * @param uri the token endpoint
   * @param formBody the form; a secret (it holds the client secret)
   * @param timeout the longest the whole exchange may take
   * @return the answer, or a future failed with the I/O failure
   */
  CompletableFuture<Answer> post(URI uri, String formBody, Duration timeout);

  /**
   * What the token endpoint answered.
   *
   * @param status the HTTP status
   * @param body the first {@link #MAX_BODY_BYTES} bytes of the body as UTF-8 text ({@code ""} for
   *     none)
   * @param truncated whether the body was longer
   */
  record Answer(int status, String body, boolean truncated) {}

  /**
   * {@code java.net.http} on a client of its own: no redirects, a 10 s connect timeout.
   *
   * @return the transport
   */
  static TokenTransport jdk() {
    return new JdkTokenTransport(HttpClient.newBuilder()
        .followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(Duration.ofSeconds(10))
        .build());
  }

  /**
   * {@code java.net.http} on your client (its proxy, TLS and executor), which must not follow
   * redirects (the JDK's default): {@code java.net.http} re-sends a POST and its body on a 307 or
   * 308 to whatever host the redirect names, the client secret included. Give your plain client,
   * not an {@code AssignrHttpClient}: the token endpoint is not the API's quota.
   *
   * @param client your client
   * @return the transport
   * @throws com.assignr.resilience.InvalidSettingsException if {@code client} is null or follows
   *     redirects
   */
  static TokenTransport jdk(HttpClient client) {
    Checks c = new Checks("TokenTransport.jdk");
    c.notNull("client", client);
    if (client != null) {
      c.check(client.followRedirects() == HttpClient.Redirect.NEVER, "client", "Redirect." + client.followRedirects(),
          "must not follow redirects (a 307 or 308 would re-send the client secret to the redirect's host)");
    }
    c.throwIfAny();
    return new JdkTokenTransport(client);
  }
}
