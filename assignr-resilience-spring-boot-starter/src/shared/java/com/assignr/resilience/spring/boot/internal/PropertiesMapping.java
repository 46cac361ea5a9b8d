package com.assignr.resilience.spring.boot.internal;

import com.assignr.resilience.InvalidSettingsException;
import com.assignr.resilience.AssignrResilience;
import com.assignr.resilience.GatePolicy;
import com.assignr.resilience.QuotaKey;
import com.assignr.resilience.RetryPolicy;
import com.assignr.resilience.TimeSource;
import com.assignr.resilience.oauth.AssignrOAuth;
import com.assignr.resilience.oauth.Credentials;
import com.assignr.resilience.oauth.TokenSource;
import com.assignr.resilience.oauth.TokenTransport;
import com.assignr.resilience.spring.boot.AssignrResilienceProperties;
import java.net.http.HttpClient;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.validation.Errors;

/**
 * Properties to core's builders, and core's refusals back to properties. Core's builders own every
 * rule ("one owner per rule"): this class only renames. Core reports {@code "Invalid RetryPolicy:
 * maxAttempts must be between 1 and 100 but was 0; …"}; each problem is put on the property its
 * parameter comes from, in the dashed form (Boot's binder reads the value and its origin by that
 * name), so Boot's startup failure names {@code assignr.resilience.retry.max-attempts} and the
 * line of {@code application.properties} it was set on.
 * Not for users.
 */
public final class PropertiesMapping {
  /** Core's parameter names, by builder, to the property paths they come from. */
  private static final Map<String, String> RETRY = Map.of(
      "maxAttempts", "retry.max-attempts", "initialBackoff", "retry.initial-backoff",
      "maxBackoff", "retry.max-backoff", "backoffMultiplier", "retry.backoff-multiplier",
      "backoffJitter", "retry.backoff-jitter", "rateLimitMargin", "retry.rate-limit-margin",
      "rateLimitJitter", "retry.rate-limit-jitter", "maxServerWait", "retry.max-server-wait",
      "totalTimeout", "retry.total-timeout");
  private static final Map<String, String> GATE = Map.of(
      "reserve", "gate.reserve", "coldStartConcurrency", "gate.cold-start-concurrency",
      "releaseSpacing", "gate.release-spacing", "closureWithoutReset", "gate.closure-without-reset",
      "interactiveShare", "gate.interactive-share");
  private static final Map<String, String> TOP = Map.of(
      "writeContentType", "write-content-type", "bodyExcerptChars", "body-excerpt-chars");
  private static final Map<String, String> METRICS = Map.of("maxQuotas", "metrics.max-quotas");
  /** The OAuth grant's parameter names to the credentials properties. */
  private static final Map<String, String> GRANT = Map.of(
      "tokenUri", "token-uri", "clientId", "client-id", "clientSecret", "client-secret", "scope", "scope");

  private static final String CREDENTIALS = "assignr.resilience.credentials.";
  private static final boolean MICROMETER = present("com.assignr.resilience.micrometer.AssignrMetrics")
      && present("io.micrometer.core.instrument.MeterRegistry");

  private PropertiesMapping() {}

  public static RetryPolicy retryPolicy(AssignrResilienceProperties p) {
    AssignrResilienceProperties.Retry r = p.getRetry();
    return RetryPolicy.defaults().toBuilder()
        .maxAttempts(r.getMaxAttempts())
        .initialBackoff(r.getInitialBackoff())
        .maxBackoff(r.getMaxBackoff())
        .backoffMultiplier(r.getBackoffMultiplier())
        .backoffJitter(r.getBackoffJitter())
        .rateLimitMargin(r.getRateLimitMargin())
        .rateLimitJitter(r.getRateLimitJitter())
        .maxServerWait(r.getMaxServerWait())
        .totalTimeout(r.getTotalTimeout())
        .retryNonIdempotent(r.isRetryNonIdempotent())
        .build();
  }

  public static GatePolicy gatePolicy(AssignrResilienceProperties p) {
    AssignrResilienceProperties.Gate g = p.getGate();
    return GatePolicy.defaults().toBuilder()
        .enabled(g.isEnabled())
        .reserve(g.getReserve())
        .coldStartConcurrency(g.getColdStartConcurrency())
        .releaseSpacing(g.getReleaseSpacing())
        .pacing(g.isPacing())
        .closureWithoutReset(g.getClosureWithoutReset())
        .interactiveShare(g.getInteractiveShare())
        .build();
  }

  /** A builder with every property applied (customizers come after, and may change anything). */
  public static AssignrResilience.Builder builder(AssignrResilienceProperties p) {
    AssignrResilience.Builder b = AssignrResilience.builder()
        .policy(retryPolicy(p))
        .gate(gatePolicy(p))
        .throwOnFailure(p.isThrowOnFailure())
        .allowInsecureLoopback(p.isAllowInsecureLoopback())
        .writeContentType(p.getWriteContentType())
        .bodyExcerptChars(p.getBodyExcerptChars());
    if (p.getQuotaKey() != null && !p.getQuotaKey().isBlank()) b.quotaKey(QuotaKey.fixed(p.getQuotaKey()));
    return b;
  }

  /**
   * The credentials of the properties: the application's own token source when it has one
   * (client-id then only names the quota), else the client-credentials grant on the client {@code
   * http} makes (not made when the secret is missing).
   *
   * @throws InvalidConfigurationPropertyValueException naming {@code client-secret} when only the
   *     client id is set
   */
  public static Credentials credentials(AssignrResilienceProperties p, TokenSource own, Supplier<HttpClient> http,
      TimeSource time) {
    AssignrResilienceProperties.Credentials c = p.getCredentials();
    AssignrOAuth.Builder b = AssignrOAuth.builder().clientId(c.getClientId()).timeSource(time);
    if (own != null) return b.tokenSource(own).build();
    if (c.getClientSecret() == null) {
      throw new InvalidConfigurationPropertyValueException(CREDENTIALS + "client-secret", null,
          "It must be set with " + CREDENTIALS + "client-id (or the application defines a TokenSource bean)");
    }
    return b.clientSecret(c.getClientSecret()).scope(c.getScope()).tokenUri(c.getTokenUri())
        .allowInsecureLoopback(p.isAllowInsecureLoopback()).transport(TokenTransport.jdk(http.get())).build();
  }

  /** Reports every value core would refuse on its property. */
  public static void validate(AssignrResilienceProperties p, Errors errors) {
    check(() -> retryPolicy(p), RETRY, errors);
    check(() -> gatePolicy(p), GATE, errors);
    check(() -> AssignrResilience.builder().writeContentType(p.getWriteContentType())
        .bodyExcerptChars(p.getBodyExcerptChars()).build(), TOP, errors);
    validateCredentials(p, errors);
    // The binder's builder owns its rules. An application that excludes Micrometer has no binder
    // whose settings could be wrong: MetricsBinding (which links to it) is then never loaded.
    if (MICROMETER) {
      check(() -> MetricsBinding.checkSettings(p.getMetrics().getMaxQuotas()), METRICS, errors);
    }
  }

  /**
   * The credentials rules. Which properties go together is the starter's own rule; what each value
   * must be is the OAuth module's ({@link AssignrOAuth.Builder#build()} checks them; here on a
   * transport that sends nothing). Every problem is a global error whose message starts with the
   * property it is about: a field error would carry the rejected value into Boot's startup failure
   * message, and these values are secrets (the URI is shown without user info, query or fragment).
   */
  private static void validateCredentials(AssignrResilienceProperties p, Errors errors) {
    AssignrResilienceProperties.Credentials c = p.getCredentials();
    if (c.getToken() != null && c.getToken().isBlank()) {
      errors.reject("blank", CREDENTIALS + "token must not be blank; leave it unset for no token");
    }
    boolean client = c.getClientId() != null || c.getClientSecret() != null;
    if (c.getToken() != null && client) {
      errors.reject("exclusive", CREDENTIALS + "token must not be set together with " + CREDENTIALS
          + "client-id and " + CREDENTIALS + "client-secret: configure either a static token or an OAuth client");
    }
    if (c.getClientSecret() != null && c.getClientId() == null) {
      errors.reject("missing", CREDENTIALS + "client-secret is set but " + CREDENTIALS
          + "client-id is not: set both, for the OAuth client-credentials grant");
    }
    // client-id without client-secret is refused where the starter builds its own token source:
    // with a TokenSource bean of the application's, client-id alone names the quota.
    if (!client) return;
    List<InvalidSettingsException.Problem> problems = List.of();
    try {
      AssignrOAuth.builder().clientId(c.getClientId()).clientSecret(c.getClientSecret()).scope(c.getScope())
          .tokenUri(c.getTokenUri()).allowInsecureLoopback(p.isAllowInsecureLoopback())
          .transport((uri, form, timeout) -> new CompletableFuture<>()).build();
    } catch (InvalidSettingsException e) {
      problems = e.problems();
    }
    for (InvalidSettingsException.Problem problem : problems) {
      // An id or secret that is missing altogether is the pairing rules' business (above, and
      // where the starter builds its own token source); a blank one is the grant's.
      boolean missing = problem.value().equals("null")
          && (problem.setting().equals("clientId") || problem.setting().equals("clientSecret"));
      if (missing) continue;
      String rule = problem.rule().replace("allowInsecureLoopback(true)",
          "assignr.resilience.allow-insecure-loopback=true");
      errors.reject("invalid", CREDENTIALS + GRANT.getOrDefault(problem.setting(), problem.setting()) + " " + rule
          + " but was " + problem.value());
    }
  }

  /**
   * A Redis URI as it may be shown: scheme, host and port only (user info, where Redis URIs carry
   * the password, and everything after the host dropped); {@code "none"} when unset and {@code
   * "(not shown)"} when it cannot be parsed.
   */
  public static String redactRedisUri(String uri) {
    if (uri == null) return "none";
    try {
      URI u = new URI(uri.trim());
      if (u.getScheme() == null || u.getHost() == null) return "(not shown)";
      return u.getScheme() + "://" + u.getHost() + (u.getPort() < 0 ? "" : ":" + u.getPort());
    } catch (URISyntaxException e) {
      return "(not shown)";
    }
  }

  private static boolean present(String className) {
    try {
      Class.forName(className, false, PropertiesMapping.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  private static void check(Supplier<?> build, Map<String, String> properties, Errors errors) {
    try {
      build.get();
    } catch (InvalidSettingsException e) {
      for (InvalidSettingsException.Problem problem : e.problems()) {
        String property = properties.get(problem.setting());
        if (property != null) {
          errors.rejectValue(property, "invalid", problem.rule() + " but was " + problem.value());
        } else {
          errors.reject("invalid", problem.toString());
        }
      }
    } catch (IllegalArgumentException e) {
      errors.reject("invalid", String.valueOf(e.getMessage()));
    }
  }
}
