package com.assignr.resilience;

import com.assignr.resilience.internal.Checks;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What to retry and how long to wait: an immutable value, validated once by {@link
 * Builder#build()}. The defaults are chosen for Assignr's limits; each is explained on its
 * setter.
 */
public final class RetryPolicy {
  private static final Set<String> DEFAULT_IDEMPOTENT =
      Set.of("GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE");
  /*
   * Upper bounds: far above anything useful, far below where nanosecond arithmetic overflows
   * (about 292 years), so every computed delay and deadline stays exact.
   */
  static final int MAX_ATTEMPTS = 100;
  static final Duration MAX_BACKOFF = Duration.ofHours(1);
  static final Duration MAX_RATE_LIMIT_MARGIN = Duration.ofMinutes(1);
  static final Duration MAX_RATE_LIMIT_JITTER = Duration.ofHours(1);
  static final Duration MAX_WAIT = Duration.ofDays(1);
  private static final RetryPolicy DEFAULTS = builder().build();

  private final int maxAttempts;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final double backoffMultiplier;
  private final double backoffJitter;
  private final Duration rateLimitMargin;
  private final Duration rateLimitJitter;
  private final Duration maxServerWait;
  private final Duration totalTimeout;
  private final Set<String> idempotentMethods;
  private final boolean retryNonIdempotent;
  private final Map<Integer, RetryRule> statusRules;
  private final Map<Classification, RetryRule> classificationRules;

  private RetryPolicy(Builder b) {
    this.maxAttempts = b.maxAttempts;
    this.initialBackoff = b.initialBackoff;
    this.maxBackoff = b.maxBackoff;
    this.backoffMultiplier = b.backoffMultiplier;
    this.backoffJitter = b.backoffJitter;
    this.rateLimitMargin = b.rateLimitMargin;
    this.rateLimitJitter = b.rateLimitJitter;
    this.maxServerWait = b.maxServerWait;
    this.totalTimeout = b.totalTimeout;
    this.idempotentMethods = Set.copyOf(b.idempotentMethods);
    this.retryNonIdempotent = b.retryNonIdempotent;
    this.statusRules = Map.copyOf(b.statusRules);
    this.classificationRules =
        b.classificationRules.isEmpty() ? Map.of() : new EnumMap<>(b.classificationRules);
  }

  /** The Assignr defaults. */
  public static RetryPolicy defaults() {
    return DEFAULTS;
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  public int maxAttempts() { return maxAttempts; }
  public Duration initialBackoff() { return initialBackoff; }
  public Duration maxBackoff() { return maxBackoff; }
  public double backoffMultiplier() { return backoffMultiplier; }
  public double backoffJitter() { return backoffJitter; }
  public Duration rateLimitMargin() { return rateLimitMargin; }
  public Duration rateLimitJitter() { return rateLimitJitter; }
  public Duration maxServerWait() { return maxServerWait; }
  /** The policy's own deadline for a whole call, retries and waits included; null for none. */
  public Duration totalTimeout() { return totalTimeout; }
  public Set<String> idempotentMethods() { return idempotentMethods; }
  public boolean retryNonIdempotent() { return retryNonIdempotent; }

  /** The rule for an outcome: a per-status override, else a per-class override, else the default. */
  public RetryRule ruleFor(int status, Classification classification) {
    if (status > 0 && !statusRules.isEmpty()) {
      RetryRule rule = statusRules.get(status);
      if (rule != null) return rule;
    }
    RetryRule rule = classificationRules.isEmpty() ? null : classificationRules.get(classification);
    return rule != null ? rule : classification.defaultRule();
  }

  /** Whether the method may be sent twice without changing the outcome. */
  public boolean isIdempotent(String method) {
    return idempotentMethods.contains(method);
  }

  @Override
  public String toString() {
    return "RetryPolicy{maxAttempts=" + maxAttempts
        + ", backoff=" + initialBackoff + ".." + maxBackoff + " x" + backoffMultiplier
        + " jitter " + backoffJitter
        + ", rateLimitMargin=" + rateLimitMargin + ", rateLimitJitter=" + rateLimitJitter
        + ", maxServerWait=" + maxServerWait + ", totalTimeout=" + totalTimeout
        + ", retryNonIdempotent=" + retryNonIdempotent
        + (statusRules.isEmpty() ? "" : ", statusRules=" + statusRules)
        + (classificationRules.isEmpty() ? "" : ", classificationRules=" + classificationRules)
        + '}';
  }

  /** Setters only store; {@link #build()} validates everything and names what is wrong. */
  public static final class Builder {
    private int maxAttempts = 5;
    private Duration initialBackoff = Duration.ofMillis(500);
    private Duration maxBackoff = Duration.ofSeconds(30);
    private double backoffMultiplier = 2.0;
    private double backoffJitter = 0.5;
    private Duration rateLimitMargin = Duration.ofSeconds(1);
    private Duration rateLimitJitter = Duration.ofSeconds(1);
    private Duration maxServerWait = Duration.ofSeconds(65);
    private Duration totalTimeout = Duration.ofMinutes(3);
    private Set<String> idempotentMethods = new LinkedHashSet<>(DEFAULT_IDEMPOTENT);
    private boolean retryNonIdempotent;
    private final Map<Integer, RetryRule> statusRules = new HashMap<>();
    private final Map<Classification, RetryRule> classificationRules = new EnumMap<>(Classification.class);

    private Builder() {}

    private Builder(RetryPolicy p) {
      maxAttempts = p.maxAttempts;
      initialBackoff = p.initialBackoff;
      maxBackoff = p.maxBackoff;
      backoffMultiplier = p.backoffMultiplier;
      backoffJitter = p.backoffJitter;
      rateLimitMargin = p.rateLimitMargin;
      rateLimitJitter = p.rateLimitJitter;
      maxServerWait = p.maxServerWait;
      totalTimeout = p.totalTimeout;
      idempotentMethods = new LinkedHashSet<>(p.idempotentMethods);
      retryNonIdempotent = p.retryNonIdempotent;
      statusRules.putAll(p.statusRules);
      classificationRules.putAll(p.classificationRules);
    }

    /** Attempts in all, the first included. Default 5: four retries ride out a 503 burst. */
    public Builder maxAttempts(int maxAttempts) {
      this.maxAttempts = maxAttempts;
      return this;
    }

    /** The first backoff delay (503, 5xx, I/O). Default 500 ms. */
    public Builder initialBackoff(Duration initialBackoff) {
      this.initialBackoff = initialBackoff;
      return this;
    }

    /** The cap on any single backoff delay. Default 30 s. */
    public Builder maxBackoff(Duration maxBackoff) {
      this.maxBackoff = maxBackoff;
      return this;
    }

    /** Growth of the backoff per attempt. Default 2 (500 ms, 1 s, 2 s, 4 s…). */
    public Builder backoffMultiplier(double backoffMultiplier) {
      this.backoffMultiplier = backoffMultiplier;
      return this;
    }

    /**
     * The fraction of each backoff that is randomised downwards: with 0.5 a 2 s backoff becomes a
     * uniform draw in [1 s, 2 s]. Default 0.5, which de-synchronises callers while keeping the
     * delay within a factor of two of the schedule.
     */
    public Builder backoffJitter(double backoffJitter) {
      this.backoffJitter = backoffJitter;
      return this;
    }

    /**
     * Added to every server-directed wait. Default 1 s: Assignr reports seconds-remaining rounded
     * down to whole seconds, so the true reset can lie up to a second after the number it sends.
     */
    public Builder rateLimitMargin(Duration rateLimitMargin) {
      this.rateLimitMargin = rateLimitMargin;
      return this;
    }

    /**
     * The width of the positive-only jitter added after a server-directed wait, so that callers
     * refused at the same moment do not return in one burst. Never subtracted: a retry must not
     * land before the reset. Default 1 s.
     */
    public Builder rateLimitJitter(Duration rateLimitJitter) {
      this.rateLimitJitter = rateLimitJitter;
      return this;
    }

    /**
     * The longest server-directed wait the library will sit through. Default 65 s: the 60-second
     * window (at most 60 s plus the margin) is waited out, the 5-minute and hourly ones are not; the
     * call gives up at once with the instant a retry would succeed.
     */
    public Builder maxServerWait(Duration maxServerWait) {
      this.maxServerWait = maxServerWait;
      return this;
    }

    /**
     * A deadline for the whole call, retries and waits included; {@code null} for none. The
     * caller's own deadline (OkHttp's call timeout, {@code HttpRequest.timeout()}) applies too,
     * whichever is earlier. Default 3 minutes.
     */
    public Builder totalTimeout(Duration totalTimeout) {
      this.totalTimeout = totalTimeout;
      return this;
    }

    /**
     * Methods safe to send twice: RFC 9110's idempotent methods, GET, HEAD, OPTIONS, TRACE, PUT
     * and DELETE (the default). At Assignr a PUT carries the {@code lock_version}, so a repeated
     * PUT is refused with 409 rather than applied twice.
     */
    public Builder idempotentMethods(Set<String> methods) {
      this.idempotentMethods = methods == null ? null : new LinkedHashSet<>(methods);
      return this;
    }

    /**
     * Opts non-idempotent methods (POST, PATCH) in to retries after a 500 or an I/O failure once
     * the request may have been sent. Only for endpoints the caller knows are safe to repeat.
     * Default false: a POST is never sent twice unless the server provably did not act on it
     * (429, 503, a connection that was never established).
     */
    public Builder retryNonIdempotent(boolean retryNonIdempotent) {
      this.retryNonIdempotent = retryNonIdempotent;
      return this;
    }

    /** Overrides the rule for one status code, e.g. {@code retryRule(502, RetryRule.ALWAYS)}. */
    public Builder retryRule(int status, RetryRule rule) {
      statusRules.put(status, rule);
      return this;
    }

    /** Overrides the rule for a whole class, e.g. {@code retryRule(IO_FAILURE, NEVER)}. */
    public Builder retryRule(Classification classification, RetryRule rule) {
      classificationRules.put(Objects.requireNonNull(classification, "classification"), rule);
      return this;
    }

    /**
     * Validates every setting and cross-field rule.
     *
     * @throws IllegalArgumentException naming each bad parameter and its value
     */
    public RetryPolicy build() {
      Checks c = new Checks("RetryPolicy");
      c.check(maxAttempts >= 1 && maxAttempts <= MAX_ATTEMPTS, "maxAttempts", maxAttempts,
          "must be between 1 and " + MAX_ATTEMPTS);
      c.positive("initialBackoff", initialBackoff);
      c.atMost("initialBackoff", initialBackoff, MAX_BACKOFF);
      c.positive("maxBackoff", maxBackoff);
      c.atMost("maxBackoff", maxBackoff, MAX_BACKOFF);
      if (initialBackoff != null && maxBackoff != null && !initialBackoff.isNegative() && !maxBackoff.isNegative()) {
        c.check(maxBackoff.compareTo(initialBackoff) >= 0, "maxBackoff", maxBackoff,
            "must not be shorter than initialBackoff (" + initialBackoff + ")");
      }
      c.check(backoffMultiplier >= 1.0 && backoffMultiplier <= 100.0, "backoffMultiplier",
          backoffMultiplier, "must be between 1 and 100");
      c.check(backoffJitter >= 0.0 && backoffJitter <= 1.0, "backoffJitter", backoffJitter,
          "must be between 0 and 1");
      c.nonNegative("rateLimitMargin", rateLimitMargin);
      c.atMost("rateLimitMargin", rateLimitMargin, MAX_RATE_LIMIT_MARGIN);
      c.nonNegative("rateLimitJitter", rateLimitJitter);
      c.atMost("rateLimitJitter", rateLimitJitter, MAX_RATE_LIMIT_JITTER);
      c.positive("maxServerWait", maxServerWait);
      c.atMost("maxServerWait", maxServerWait, MAX_WAIT);
      if (totalTimeout != null) {
        c.positive("totalTimeout", totalTimeout);
        c.atMost("totalTimeout", totalTimeout, MAX_WAIT);
      }
      c.check(idempotentMethods != null, "idempotentMethods", null, "must not be null");
      if (idempotentMethods != null) {
        for (String m : idempotentMethods) {
          c.check(m != null && !m.isEmpty() && m.equals(m.toUpperCase(Locale.ROOT)),
              "idempotentMethods", m, "must hold upper-case method names");
        }
      }
      statusRules.forEach((status, rule) -> {
        c.check(status >= 100 && status <= 599, "retryRule status", status, "must be an HTTP status (100-599)");
        c.check(rule != null, "retryRule for " + status, null, "must not be null");
      });
      classificationRules.forEach((cls, rule) -> {
        c.check(rule != null, "retryRule for " + cls, null, "must not be null");
        c.check(cls != Classification.CANCELLED || rule == RetryRule.NEVER, "retryRule for CANCELLED",
            rule, "must be NEVER: a cancelled call is never retried");
      });
      c.throwIfAny();
      return new RetryPolicy(this);
    }
  }
}
