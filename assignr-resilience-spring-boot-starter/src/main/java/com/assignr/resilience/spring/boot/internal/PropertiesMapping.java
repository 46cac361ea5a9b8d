package com.assignr.resilience.spring.boot.internal;

import com.assignr.resilience.AssignrResilience;
import com.assignr.resilience.GatePolicy;
import com.assignr.resilience.QuotaKey;
import com.assignr.resilience.RetryPolicy;
import com.assignr.resilience.spring.boot.AssignrResilienceProperties;
import java.util.Map;
import java.util.function.Supplier;
import org.springframework.validation.Errors;

/**
 * Properties to core's builders, and core's refusals back to properties. Core's builders own every
 * rule ("one owner per rule"): this class only renames. Core reports {@code "Invalid RetryPolicy:
 * maxAttempts must be between 1 and 100 but was 0; …"}; each problem is put on the property its
 * parameter comes from, so Boot's startup failure names {@code assignr.resilience.retry.max-attempts}.
 * Not for users.
 */
public final class PropertiesMapping {
  /** Core's parameter names, by builder, to the property paths they come from. */
  private static final Map<String, String> RETRY = Map.of(
      "maxAttempts", "retry.maxAttempts", "initialBackoff", "retry.initialBackoff",
      "maxBackoff", "retry.maxBackoff", "backoffMultiplier", "retry.backoffMultiplier",
      "backoffJitter", "retry.backoffJitter", "rateLimitMargin", "retry.rateLimitMargin",
      "rateLimitJitter", "retry.rateLimitJitter", "maxServerWait", "retry.maxServerWait",
      "totalTimeout", "retry.totalTimeout");
  private static final Map<String, String> GATE = Map.of(
      "reserve", "gate.reserve", "coldStartConcurrency", "gate.coldStartConcurrency",
      "releaseSpacing", "gate.releaseSpacing", "closureWithoutReset", "gate.closureWithoutReset");
  private static final Map<String, String> TOP = Map.of(
      "writeContentType", "writeContentType", "bodyExcerptChars", "bodyExcerptChars");

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

  /** Reports every value core would refuse on its property. */
  public static void validate(AssignrResilienceProperties p, Errors errors) {
    check(() -> retryPolicy(p), RETRY, errors);
    check(() -> gatePolicy(p), GATE, errors);
    check(() -> AssignrResilience.builder().writeContentType(p.getWriteContentType())
        .bodyExcerptChars(p.getBodyExcerptChars()).build(), TOP, errors);
    AssignrResilienceProperties.Credentials c = p.getCredentials();
    if (c.getClientId() != null || c.getClientSecret() != null) {
      errors.rejectValue(c.getClientId() != null ? "credentials.clientId" : "credentials.clientSecret",
          "unsupported", "OAuth client credentials are not supported yet (core's token source is still"
              + " being built); set assignr.resilience.credentials.token to an access token meanwhile");
    }
    if (c.getToken() != null && c.getToken().isBlank()) {
      errors.rejectValue("credentials.token", "blank", "must not be blank; leave it unset for no token");
    }
    if (p.getMetrics().getMaxQuotas() < 1 || p.getMetrics().getMaxQuotas() > 10_000) {
      errors.rejectValue("metrics.maxQuotas", "range", "must be between 1 and 10000");
    }
  }

  private static void check(Supplier<?> build, Map<String, String> properties, Errors errors) {
    try {
      build.get();
    } catch (IllegalArgumentException e) {
      String message = e.getMessage() == null ? "" : e.getMessage();
      int colon = message.indexOf(": ");
      String problems = colon < 0 ? message : message.substring(colon + 2);
      for (String problem : problems.split("; ")) {
        int space = problem.indexOf(' ');
        String property = space < 0 ? null : properties.get(problem.substring(0, space));
        if (property != null) {
          errors.rejectValue(property, "invalid", problem.substring(space + 1));
        } else {
          errors.reject("invalid", problem);
        }
      }
    }
  }
}
