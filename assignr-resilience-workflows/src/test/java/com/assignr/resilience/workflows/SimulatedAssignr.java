package com.assignr.resilience.workflows;

import com.assignr.resilience.AssignrResilience;
import com.assignr.resilience.GatePolicy;
import com.assignr.resilience.jdk.AssignrHttpClient;
import com.assignr.resilience.oauth.AccessToken;
import com.assignr.resilience.oauth.AssignrOAuth;
import com.assignr.resilience.oauth.Credentials;
import com.assignr.resilience.oauth.TokenSource;
import com.assignr.resilience.testkit.AssignrSimulator;
import com.assignr.resilience.testkit.RateLimitRule;
import com.assignr.resilience.testkit.VirtualTime;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.List;

/**
 * The simulator on a random port and virtual time, called through the JDK adapter with {@code
 * throwOnFailure(true)}: what a user's integration looks like, minus their JSON library (each test
 * brings its own).
 */
final class SimulatedAssignr implements AutoCloseable {
  static final String TOKEN = "Bearer workflows-test-token";

  final VirtualTime time = VirtualTime.autoAdvancing();
  final AssignrSimulator sim;
  final AssignrResilience resilience;
  final HttpClient client;

  SimulatedAssignr(int sites, int gamesPerSite, List<RateLimitRule> rules, GatePolicy gate) {
    sim = AssignrSimulator.builder().clock(time.clock()).sites(sites).gamesPerSite(gamesPerSite)
        .rateLimits(rules).start();
    // The library adds a token to requests without Authorization (the README's snippets send none);
    // a fixed one, no refresh scheduled.
    Credentials credentials = AssignrOAuth.builder().tokenSource(TokenSource.fixed(AccessToken.bearer(
        "workflows-test-token", Duration.ofDays(1)))).clientId("workflows-tests").refreshAhead(Duration.ZERO)
        .timeSource(time).build();
    resilience = AssignrResilience.builder().timeSource(time).random(() -> 0.0).allowInsecureLoopback(true)
        .gate(gate).throwOnFailure(true).credentials(credentials).build();
    client = AssignrHttpClient.wrap(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build(), resilience);
  }

  SimulatedAssignr(int sites, int gamesPerSite) {
    this(sites, gamesPerSite, RateLimitRule.assignrDefaults(), GatePolicy.defaults());
  }

  String url(String path) {
    return sim.httpBaseUrl() + path;
  }

  /** GET through the adapter: returns only on success. */
  String get(String url) throws IOException {
    return send(HttpRequest.newBuilder(URI.create(url)).GET());
  }

  /** PUT through the adapter: a 409 arrives as ConflictException. */
  String put(String url, String json) throws IOException {
    return send(HttpRequest.newBuilder(URI.create(url)).PUT(HttpRequest.BodyPublishers.ofString(json))
        .header("Content-Type", AssignrResilience.ASSIGNR_MEDIA_TYPE));
  }

  private String send(HttpRequest.Builder request) throws IOException {
    try {
      return client.send(request.header("Authorization", TOKEN).build(), BodyHandlers.ofString()).body();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted");
    }
  }

  @Override
  public void close() {
    sim.close();
  }
}
