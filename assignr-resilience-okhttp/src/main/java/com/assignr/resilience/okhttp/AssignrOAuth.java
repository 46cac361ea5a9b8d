package com.assignr.resilience.okhttp;

import com.assignr.resilience.Credentials;
import com.assignr.resilience.TokenSource;
import com.assignr.resilience.internal.Checks;
import com.assignr.resilience.internal.ClientCredentialsGrant;
import com.assignr.resilience.okhttp.internal.OkHttpTokenSource;
import java.net.URI;
import java.time.Duration;
import okhttp3.OkHttpClient;

/**
 * OAuth 2.0 tokens for Assignr on your own {@link OkHttpClient}: the client-credentials grant as a
 * {@link TokenSource}, for {@link Credentials} to cache and refresh.
 *
 * <pre>{@code
 * Credentials credentials = Credentials.builder(AssignrOAuth.clientCredentials(
 *         client, AssignrOAuth.ASSIGNR_TOKEN_URI, clientId, clientSecret, "read write"))
 *     .clientId(clientId)
 *     .build();
 * }</pre>
 *
 * <p>Each fetch is one {@code POST} of {@code grant_type=client_credentials&client_id=…&
 * client_secret=…&scope=…} to the token endpoint, sent with {@code enqueue} (no thread waits for
 * it) on a client derived from yours: same connection pool, dispatcher, TLS, proxy and DNS, but
 * <b>without your interceptors</b> (a logging interceptor would write the secret and the token to
 * your logs, an auth interceptor would add a token to the token request or recurse into the
 * credentials, and an {@link AssignrInterceptor} would put the token endpoint, which is not the
 * API's quota, through the API's retries and rate-limit gate), <b>without following
 * redirects</b> (a redirected token request is an error, not something to resend the secret
 * after) and with its own call timeout. Errors become {@link
 * com.assignr.resilience.TokenEndpointException}s that name the status and the OAuth {@code
 * error} code, never the body.
 */
public final class AssignrOAuth {
  /** Assignr's token endpoint, {@code https://app.assignr.com/oauth/token}; not the API's host. */
  public static final URI ASSIGNR_TOKEN_URI = ClientCredentialsGrant.ASSIGNR_TOKEN_URI;

  private AssignrOAuth() {}

  /**
   * The client-credentials grant on {@code client}, with the default 20 s timeout.
   *
   * @param client your client (its interceptors are not used for token requests)
   * @param tokenUri the token endpoint, {@link #ASSIGNR_TOKEN_URI} for Assignr; HTTPS only
   * @param clientId the OAuth client id
   * @param clientSecret the OAuth client secret
   * @param scope space-separated scopes, e.g. {@code "read write"}; null to send none
   * @return one token request per {@code fetchToken()}
   * @throws IllegalArgumentException naming each bad argument (never quoting the secret)
   */
  public static TokenSource clientCredentials(OkHttpClient client, URI tokenUri, String clientId,
      String clientSecret, String scope) {
    return builder(client).tokenUri(tokenUri).clientId(clientId).clientSecret(clientSecret).scope(scope).build();
  }

  /**
   * A builder for the client-credentials grant on {@code client}.
   *
   * @param client your client
   * @return a builder; {@code tokenUri} defaults to {@link #ASSIGNR_TOKEN_URI}
   */
  public static Builder builder(OkHttpClient client) {
    return new Builder(client);
  }

  /** Setters only store; {@link #build()} validates. */
  public static final class Builder {
    private final OkHttpClient client;
    private URI tokenUri = ASSIGNR_TOKEN_URI;
    private String clientId;
    private String clientSecret;
    private String scope;
    private boolean allowInsecureLoopback;
    private Duration timeout = Duration.ofSeconds(20);

    private Builder(OkHttpClient client) {
      this.client = client;
    }

    /**
     * @param tokenUri the token endpoint; default {@link #ASSIGNR_TOKEN_URI}
     * @return this builder
     */
    public Builder tokenUri(URI tokenUri) { this.tokenUri = tokenUri; return this; }

    /**
     * @param clientId the OAuth client id (required)
     * @return this builder
     */
    public Builder clientId(String clientId) { this.clientId = clientId; return this; }

    /**
     * @param clientSecret the OAuth client secret (required); never printed
     * @return this builder
     */
    public Builder clientSecret(String clientSecret) { this.clientSecret = clientSecret; return this; }

    /**
     * @param scope space-separated scopes ({@code "read write"}); default none sent
     * @return this builder
     */
    public Builder scope(String scope) { this.scope = scope; return this; }

    /**
     * Allows a plain-HTTP token endpoint on a loopback host, for local simulators and tests. Any
     * other {@code http://} endpoint is refused: the client secret would travel in clear text.
     *
     * @param allow default false
     * @return this builder
     */
    public Builder allowInsecureLoopback(boolean allow) { this.allowInsecureLoopback = allow; return this; }

    /**
     * The call timeout of one token request. Default 20 s, below {@link
     * Credentials.Builder#fetchTimeout}'s 30 s so that this, clearer, failure comes first.
     *
     * @param timeout between 1 ms and 10 min
     * @return this builder
     */
    public Builder timeout(Duration timeout) { this.timeout = timeout; return this; }

    /**
     * @return the token source
     * @throws com.assignr.resilience.InvalidSettingsException naming every bad setting, all in one
     *     round (never quoting the secret)
     */
    public TokenSource build() {
      Checks c = new Checks("OkHttp client-credentials token source");
      c.notNull("client", client);
      c.between("timeout", timeout, Duration.ofMillis(1), Duration.ofMinutes(10));
      // One round: the grant's problems join the builder's, so a bad timeout hides no missing secret.
      ClientCredentialsGrant grant = ClientCredentialsGrant.of(c, tokenUri, clientId, clientSecret, scope,
          allowInsecureLoopback);
      return new OkHttpTokenSource(client, grant, timeout);
    }
  }
}
