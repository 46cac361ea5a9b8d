package com.assignr.resilience.oauth;

import com.assignr.resilience.RetryListener;
import com.assignr.resilience.TimeSource;
import com.assignr.resilience.internal.Checks;
import com.assignr.resilience.internal.Fingerprints;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * OAuth 2.0 access tokens for Assignr: one builder for the client's identity, the token request
 * and the cache, giving the {@link Credentials} an {@code AssignrResilience} adds to requests.
 *
 * <pre>{@code
 * Credentials credentials = AssignrOAuth.builder()
 *     .clientId(clientId)                   // given once: it also names the quota
 *     .clientSecret(clientSecret)
 *     .scope("read write")
 *     .build();                             // java.net.http; .transport(OkHttpTokenTransport.of(client)) for OkHttp
 * }</pre>
 *
 * <p>Each token request is one {@code POST} of {@code grant_type=client_credentials&client_id=…&
 * client_secret=…&scope=…} to {@link #ASSIGNR_TOKEN_URI} (Assignr documents the credentials in the
 * body), never following a redirect, bounded by {@link Builder#requestTimeout} (20 s). Errors become
 * {@link TokenEndpointException}s that name the status and the OAuth {@code error} code, never the
 * body. A token obtained elsewhere (a vault, another flow) plugs in with {@link
 * Builder#tokenSource(TokenSource)} instead of the secret.
 */
public final class AssignrOAuth {
  /** Assignr's token endpoint, {@code https://app.assignr.com/oauth/token}; not the API's host. */
  public static final URI ASSIGNR_TOKEN_URI = URI.create("https://app.assignr.com/oauth/token");

  private AssignrOAuth() {}

  /**
   * Starts building credentials.
   *
   * @return a builder: set {@code clientId} and either {@code clientSecret} or {@code tokenSource}
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Setters only store; {@link #build()} validates every setting in one round. */
  public static final class Builder {
    String clientId;
    String clientSecret;
    String scope;
    URI tokenUri = ASSIGNR_TOKEN_URI;
    TokenTransport transport;
    Duration requestTimeout = Duration.ofSeconds(20);
    boolean allowInsecureLoopback;
    TokenSource tokenSource;
    Duration refreshAhead = Duration.ofMinutes(5);
    Duration defaultLifetime = Duration.ofHours(1);
    Duration minLifetime = Duration.ofSeconds(30);
    Duration initialBackoff = Duration.ofSeconds(1);
    Duration maxBackoff = Duration.ofMinutes(1);
    Duration fetchTimeout = Duration.ofSeconds(30);
    TimeSource time = TimeSource.system();
    DoubleSupplier random = () -> ThreadLocalRandom.current().nextDouble();
    final List<RetryListener> listeners = new ArrayList<>();

    private Builder() {}

    /**
     * The OAuth client id (required), given once: it is sent in the token request and names the
     * quota ({@link Credentials#quotaKey()}, a hash of it). With a {@link #tokenSource}, any
     * stable name of the account does.
     *
     * @param clientId the client id
     * @return this builder
     */
    public Builder clientId(String clientId) { this.clientId = clientId; return this; }

    /**
     * The OAuth client secret; required unless a {@link #tokenSource} is given. Never printed.
     *
     * @param clientSecret the secret
     * @return this builder
     */
    public Builder clientSecret(String clientSecret) { this.clientSecret = clientSecret; return this; }

    /**
     * @param scope space-separated scopes ({@code "read write"}); default none sent
     * @return this builder
     */
    public Builder scope(String scope) { this.scope = scope; return this; }

    /**
     * @param tokenUri the token endpoint; default {@link #ASSIGNR_TOKEN_URI}; HTTPS only
     * @return this builder
     */
    public Builder tokenUri(URI tokenUri) { this.tokenUri = tokenUri; return this; }

    /**
     * How token requests travel. Default {@link TokenTransport#jdk()}; {@code
     * OkHttpTokenTransport.of(client)} (assignr-resilience-okhttp) sends on your OkHttp client
     * without its interceptors.
     *
     * @param transport the transport
     * @return this builder
     */
    public Builder transport(TokenTransport transport) { this.transport = transport; return this; }

    /**
     * The longest one token request may take, whatever the transport's client has for its own
     * timeouts. Default 20 s, below {@link #fetchTimeout}'s 30 s so that this, clearer, failure
     * comes first.
     *
     * @param requestTimeout between 1 ms and {@code fetchTimeout}
     * @return this builder
     */
    public Builder requestTimeout(Duration requestTimeout) { this.requestTimeout = requestTimeout; return this; }

    /**
     * Allows a plain-HTTP token endpoint on a loopback host, for local simulators and tests. Any
     * other {@code http://} endpoint is refused: the client secret would travel in clear text.
     *
     * @param allow default false
     * @return this builder
     */
    public Builder allowInsecureLoopback(boolean allow) { this.allowInsecureLoopback = allow; return this; }

    /**
     * Tokens from a source of yours instead of the client-credentials grant (then no secret, scope,
     * token URI or transport is set here); {@link #clientId} still names the quota.
     *
     * @param tokenSource one token request per call
     * @return this builder
     */
    public Builder tokenSource(TokenSource tokenSource) { this.tokenSource = tokenSource; return this; }

    /**
     * How long before expiry the token is refreshed in the background. Default 5 min; jittered up
     * to half as much again, and never earlier than half the token's lifetime. Zero turns
     * refresh-ahead off: tokens are then fetched only when a caller finds none valid.
     *
     * @param refreshAhead between 0 and 12 h
     * @return this builder
     */
    public Builder refreshAhead(Duration refreshAhead) { this.refreshAhead = refreshAhead; return this; }

    /**
     * The lifetime assumed for a token whose answer did not state one ({@code expires_in}
     * missing). Default 1 h: half Assignr's 7,200 s, so a token is refreshed early rather than
     * used past its end.
     *
     * @param defaultLifetime between {@code minLifetime} and 1 day
     * @return this builder
     */
    public Builder defaultLifetime(Duration defaultLifetime) { this.defaultLifetime = defaultLifetime; return this; }

    /**
     * Tokens valid for less than this are refused as invalid answers: a call must be able to count
     * on its token lasting through its rate-limit wait, and a short-lived token would mean a token
     * request every few seconds. Default 30 s; lower it only for an endpoint that issues short
     * tokens on purpose.
     *
     * @param minLifetime between 1 s and 1 h
     * @return this builder
     */
    public Builder minLifetime(Duration minLifetime) { this.minLifetime = minLifetime; return this; }

    /**
     * The wait after the first failed request; it doubles with every further failure. Default 1 s.
     *
     * @param initialBackoff positive, at most {@code maxBackoff}
     * @return this builder
     */
    public Builder initialBackoff(Duration initialBackoff) { this.initialBackoff = initialBackoff; return this; }

    /**
     * The longest wait between failed requests, and how long a refusal of the credentials is
     * answered without asking again. Default 1 min.
     *
     * @param maxBackoff at most 1 h
     * @return this builder
     */
    public Builder maxBackoff(Duration maxBackoff) { this.maxBackoff = maxBackoff; return this; }

    /**
     * How long a token source may take before its fetch counts as failed (and is cancelled).
     * Default 30 s.
     *
     * @param fetchTimeout positive, at most 10 min
     * @return this builder
     */
    public Builder fetchTimeout(Duration fetchTimeout) { this.fetchTimeout = fetchTimeout; return this; }

    /**
     * The time seam: expiry, waits and the refresh-ahead schedule. Default {@link
     * TimeSource#system()}; must be the same one as the {@code AssignrResilience} the credentials
     * serve.
     *
     * @param time the time source
     * @return this builder
     */
    public Builder timeSource(TimeSource time) { this.time = time; return this; }

    /**
     * Uniform draws in [0, 1) for the jitter of refreshes and backoffs. Default {@code
     * ThreadLocalRandom}.
     *
     * @param random the source of draws
     * @return this builder
     */
    public Builder random(DoubleSupplier random) { this.random = random; return this; }

    /**
     * Adds a listener of the token events. Rarely needed: the listeners of every {@code
     * AssignrResilience} built with these credentials hear them (so its SLF4J logging and metrics
     * do); use this for credentials used on their own.
     *
     * @param listener the listener
     * @return this builder
     */
    public Builder addListener(RetryListener listener) { listeners.add(listener); return this; }

    /**
     * Replaces the listeners added with {@link #addListener} by {@code listener}.
     *
     * @param listener the listener
     * @return this builder
     */
    public Builder listener(RetryListener listener) {
      listeners.clear();
      listeners.add(listener);
      return this;
    }

    /**
     * @return the credentials
     * @throws com.assignr.resilience.InvalidSettingsException naming every bad setting and its
     *     value (never the secret), all in one round
     */
    public Credentials build() {
      Checks c = new Checks("AssignrOAuth");
      c.between("refreshAhead", refreshAhead, Duration.ZERO, Duration.ofHours(12));
      c.between("minLifetime", minLifetime, Duration.ofSeconds(1), Duration.ofHours(1));
      c.between("defaultLifetime", defaultLifetime,
          minLifetime == null || minLifetime.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : minLifetime,
          TokenCache.MAX_LIFETIME);
      c.positive("initialBackoff", initialBackoff);
      c.between("maxBackoff", maxBackoff, Duration.ofMillis(1), Duration.ofHours(1));
      if (initialBackoff != null && maxBackoff != null) {
        c.check(initialBackoff.compareTo(maxBackoff) <= 0, "initialBackoff", initialBackoff,
            "must not exceed maxBackoff " + maxBackoff);
      }
      c.between("fetchTimeout", fetchTimeout, Duration.ofMillis(1), Duration.ofMinutes(10));
      c.notNull("timeSource", time);
      c.notNull("random", random);
      c.check(!listeners.contains(null), "listener", null, "must not be null");
      TokenSource source;
      if (tokenSource != null) {
        c.check(clientId != null && !clientId.isBlank(), "clientId", clientId == null ? null : "(blank)",
            "must be set (it names the quota; with a token source of yours any stable account name does)");
        c.check(clientSecret == null, "clientSecret", "(set)", "must not be set with a tokenSource");
        c.check(scope == null && transport == null && ASSIGNR_TOKEN_URI.equals(tokenUri), "tokenSource",
            tokenSource, "excludes scope, tokenUri and transport, which configure the client-credentials grant");
        c.throwIfAny();
        source = tokenSource;
      } else {
        c.between("requestTimeout", requestTimeout, Duration.ofMillis(1), Duration.ofMinutes(10));
        if (requestTimeout != null && fetchTimeout != null) {
          c.check(requestTimeout.compareTo(fetchTimeout) <= 0, "requestTimeout", requestTimeout,
              "must not exceed fetchTimeout " + fetchTimeout);
        }
        // One round: the grant's problems join the builder's, so a bad timeout hides no missing secret.
        ClientCredentialsGrant grant = ClientCredentialsGrant.of(c, tokenUri, clientId, clientSecret, scope,
            allowInsecureLoopback);
        source = new GrantTokenSource(grant, transport != null ? transport : TokenTransport.jdk(), requestTimeout);
      }
      return new Credentials(new TokenCache(source, "assignr-client#" + Fingerprints.of(clientId), this));
    }
  }
}
