package com.assignr.resilience.spring.boot.internal;

import com.assignr.resilience.TimeSource;
import com.assignr.resilience.internal.Fingerprints;
import com.assignr.resilience.spi.AuthorizationFailure;
import com.assignr.resilience.spi.Authorizer;
import com.assignr.resilience.spi.CancellationSignal;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.security.oauth2.client.ClientAuthorizationException;
import org.springframework.security.oauth2.client.OAuth2AuthorizeRequest;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.OAuth2AuthorizationException;

/**
 * Core's {@link Authorizer} on the application's Spring Security {@link
 * OAuth2AuthorizedClientManager}: the token of a client registration (client-credentials grant,
 * for a fixed principal), so that the client secret is configured once, under {@code
 * spring.security.oauth2.client.*}. Not for users.
 *
 * <p>Design: the manager caches the authorized client (its {@code OAuth2AuthorizedClientService}
 * or repository) but does not coalesce concurrent callers: a hundred callers arriving without a
 * token would make a hundred token requests. So one {@code authorize} runs at a time (on a thread
 * of its own, so that each caller waits at most its call's wait), and every caller without a
 * fresh value joins it. The value is kept here until 60 s before its expiry (the providers' own
 * clock skew), when the manager is asked again (and renews it). After a 401, the next {@code
 * authorize} hands the manager the refused client with its token marked expired: the provider
 * then fetches a new one and the manager saves it over the old, whichever store it uses.
 */
public final class SpringSecurityAuthorizer implements Authorizer {
  /** The principal of the client-credentials grant: the application itself, not a user. */
  static final String PRINCIPAL = "assignr-resilience";
  private static final Duration CLOCK_SKEW = Duration.ofSeconds(60);
  private static final Set<String> REFUSED = Set.of("invalid_client", "unauthorized_client", "invalid_scope",
      "invalid_grant", "unsupported_grant_type");

  private final OAuth2AuthorizedClientManager manager;
  private final String registrationId;
  private final String quotaKey;
  private final TimeSource time;
  private final Object lock = new Object();
  private volatile Current current;
  /** Guarded by lock: the authorize under way, and the client refused with a 401, if any. */
  private CompletableFuture<Current> pending;
  private OAuth2AuthorizedClient refused;

  private record Current(String header, OAuth2AuthorizedClient client, Instant expiresAt) {}

  /**
   * @param manager the application's manager
   * @param registrationId the client registration whose tokens are used
   * @param clientId the registration's client id: names the quota (hashed), as the OAuth module's
   * @param time the configuration's time source (expiries are read on its clock)
   */
  public SpringSecurityAuthorizer(OAuth2AuthorizedClientManager manager, String registrationId, String clientId,
      TimeSource time) {
    this.manager = Objects.requireNonNull(manager, "manager");
    this.registrationId = Objects.requireNonNull(registrationId, "registrationId");
    this.quotaKey = "assignr-client#" + Fingerprints.of(Objects.requireNonNull(clientId, "clientId"));
    this.time = Objects.requireNonNull(time, "time");
  }

  @Override
  public String authorization(long maxWaitNanos, CancellationSignal cancellation) throws IOException {
    Current now = fresh();
    if (now != null) return now.header();
    CompletableFuture<Current> shared = join();
    long deadline = maxWaitNanos == Long.MAX_VALUE ? Long.MAX_VALUE : time.nanoTime() + maxWaitNanos;
    while (true) {
      if (Thread.currentThread().isInterrupted() || (cancellation != null && cancellation.isCancelled())) {
        throw new InterruptedIOException("cancelled while waiting for a token of registration '" + registrationId + "'");
      }
      long left = deadline == Long.MAX_VALUE ? Long.MAX_VALUE : deadline - time.nanoTime();
      if (left <= 0) throw deadline();
      try {
        // Short slices, so that the cancellation is polled while the token request runs.
        return shared.get(Math.min(left, TimeUnit.MILLISECONDS.toNanos(20)), TimeUnit.NANOSECONDS).header();
      } catch (TimeoutException e) {
        // poll again
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while waiting for a token of registration '" + registrationId + "'");
      } catch (ExecutionException e) {
        throw failure(e.getCause());
      }
    }
  }

  @Override
  public CompletableFuture<String> authorizationAsync(long maxWaitNanos) {
    Current now = fresh();
    if (now != null) return CompletableFuture.completedFuture(now.header());
    CompletableFuture<String> mine = new CompletableFuture<>();
    join().whenComplete((c, e) -> {
      if (e == null) mine.complete(c.header());
      else mine.completeExceptionally(failure(e instanceof CompletionException && e.getCause() != null ? e.getCause() : e));
    });
    if (maxWaitNanos != Long.MAX_VALUE) {
      TimeSource.Cancellable timer = time.schedule(() -> mine.completeExceptionally(deadline()), maxWaitNanos);
      mine.whenComplete((v, e) -> timer.cancel());
    }
    return mine; // cancelling it completes only this caller's future
  }

  @Override
  public boolean invalidate(String authorizationThatGot401) {
    synchronized (lock) {
      Current c = current;
      if (c == null || !c.header().equals(authorizationThatGot401)) return false;
      current = null;
      refused = c.client();
      return true;
    }
  }

  @Override
  public String quotaKey() {
    return quotaKey;
  }

  @Override
  public TimeSource timeSource() {
    return time;
  }

  @Override
  public String toString() {
    return "SpringSecurityAuthorizer{registration=" + registrationId + ", quotaKey=" + quotaKey + '}';
  }

  private Current fresh() {
    Current c = current;
    if (c == null) return null;
    return c.expiresAt() == null || time.clock().instant().plus(CLOCK_SKEW).isBefore(c.expiresAt()) ? c : null;
  }

  /** The authorize under way, or a new one: one at a time. */
  private CompletableFuture<Current> join() {
    synchronized (lock) {
      if (pending != null) return pending;
      OAuth2AuthorizedClient stale = refused;
      CompletableFuture<Current> started = new CompletableFuture<>();
      pending = started;
      Thread thread = new Thread(() -> {
        try {
          started.complete(authorize(stale));
        } catch (Throwable t) {
          started.completeExceptionally(t);
        }
      }, "assignr-token-" + registrationId);
      thread.setDaemon(true);
      started.whenComplete((c, e) -> {
        synchronized (lock) {
          if (pending == started) pending = null;
          if (c != null) {
            current = c;
            if (refused == stale) refused = null;
          }
        }
      });
      thread.start();
      return started;
    }
  }

  private Current authorize(OAuth2AuthorizedClient stale) {
    OAuth2AuthorizeRequest request = (stale == null
        ? OAuth2AuthorizeRequest.withClientRegistrationId(registrationId)
        : OAuth2AuthorizeRequest.withAuthorizedClient(expired(stale))).principal(PRINCIPAL).build();
    OAuth2AuthorizedClient client = manager.authorize(request);
    if (client == null || client.getAccessToken() == null) {
      throw new IllegalStateException("Spring Security's OAuth2AuthorizedClientManager did not authorize client"
          + " registration '" + registrationId + "' (it must use the client_credentials grant)");
    }
    OAuth2AccessToken token = client.getAccessToken();
    return new Current("Bearer " + token.getTokenValue(), client, token.getExpiresAt());
  }

  /** The refused client with its token expired: the provider then fetches a new one. */
  private static OAuth2AuthorizedClient expired(OAuth2AuthorizedClient client) {
    OAuth2AccessToken token = client.getAccessToken();
    OAuth2AccessToken dead = new OAuth2AccessToken(token.getTokenType(), token.getTokenValue(), Instant.EPOCH,
        Instant.EPOCH.plusSeconds(1), token.getScopes());
    return new OAuth2AuthorizedClient(client.getClientRegistration(), client.getPrincipalName(), dead,
        client.getRefreshToken());
  }

  private AuthorizationFailure deadline() {
    return new AuthorizationFailure(AuthorizationFailure.Kind.UNAVAILABLE, null, true,
        "no token of client registration '" + registrationId + "' (quota " + quotaKey + ") within the call's wait", null);
  }

  /** Spring Security's failure as core's kind; its OAuth error code is kept, never a token or secret. */
  private AuthorizationFailure failure(Throwable t) {
    if (t instanceof AuthorizationFailure f) return f;
    if (t instanceof CancellationException) return deadline();
    String code = t instanceof OAuth2AuthorizationException o && o.getError() != null ? o.getError().getErrorCode() : null;
    AuthorizationFailure.Kind kind = code == null ? AuthorizationFailure.Kind.UNAVAILABLE
        : REFUSED.contains(code) ? AuthorizationFailure.Kind.REFUSED
        : "invalid_token_response".equals(code) ? AuthorizationFailure.Kind.INVALID
        : AuthorizationFailure.Kind.UNAVAILABLE;
    if (t instanceof IllegalStateException) kind = AuthorizationFailure.Kind.REFUSED;
    String registration = t instanceof ClientAuthorizationException c ? c.getClientRegistrationId() : registrationId;
    return new AuthorizationFailure(kind, code, false, "Spring Security could not authorize client registration '"
        + registration + "' (quota " + quotaKey + "): " + (code != null ? code : t.getClass().getSimpleName()), t);
  }
}
