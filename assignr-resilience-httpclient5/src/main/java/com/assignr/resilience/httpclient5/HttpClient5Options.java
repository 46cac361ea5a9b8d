package com.assignr.resilience.httpclient5;

import com.assignr.resilience.InvalidSettingsException;
import java.util.List;
import java.util.Objects;

/**
 * How {@link AssignrHttpClient5#configure(org.apache.hc.client5.http.impl.classic.HttpClientBuilder,
 * com.assignr.resilience.AssignrResilience, HttpClient5Options)} treats what only HttpClient's
 * chain sees. Immutable; the builder's setters only store, {@link Builder#build()} checks.
 *
 * <pre>{@code
 * AssignrHttpClient5.configure(HttpClients.custom(), resilience,
 *     HttpClient5Options.builder().replayCopyLimit(256 * 1024).build());
 * }</pre>
 */
public final class HttpClient5Options {
  /** 1 MiB: far above any Assignr write, small enough to hold for every call waiting in the gate. */
  public static final long DEFAULT_REPLAY_COPY_LIMIT = 1024 * 1024;
  /** The largest copy a Java array can hold. */
  public static final long MAX_REPLAY_COPY_LIMIT = Integer.MAX_VALUE - 8;

  private static final HttpClient5Options DEFAULTS = builder().build();

  private final long replayCopyLimit;

  private HttpClient5Options(Builder b) {
    this.replayCopyLimit = b.replayCopyLimit;
  }

  /**
   * The defaults: single-use request entities up to {@link #DEFAULT_REPLAY_COPY_LIMIT} are copied.
   *
   * @return the default options
   */
  public static HttpClient5Options defaults() {
    return DEFAULTS;
  }

  /**
   * A builder starting from the defaults.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder starting from these options.
   *
   * @return a new builder
   */
  public Builder toBuilder() {
    return new Builder().replayCopyLimit(replayCopyLimit);
  }

  /**
   * The most bytes of a request entity that is not repeatable ({@code HttpEntity.isRepeatable()}
   * false: an {@code InputStreamEntity}, a Spring body that cannot be written twice) that are
   * copied before the call starts, so that the call can send it again when the rules allow (after
   * a 429 or a 503, or when no connection was established). A larger entity, or one declared
   * larger, is sent once, as without a copy; so is one that can only be written ({@code
   * getContent()} unsupported) and declares no length. 0 copies nothing.
   *
   * @return bytes
   */
  public long replayCopyLimit() {
    return replayCopyLimit;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HttpClient5Options other && other.replayCopyLimit == replayCopyLimit;
  }

  @Override
  public int hashCode() {
    return Objects.hash(replayCopyLimit);
  }

  @Override
  public String toString() {
    return "HttpClient5Options{replayCopyLimit=" + replayCopyLimit + '}';
  }

  /** Builds {@link HttpClient5Options}. */
  public static final class Builder {
    private long replayCopyLimit = DEFAULT_REPLAY_COPY_LIMIT;

    private Builder() {}

    /**
     * See {@link HttpClient5Options#replayCopyLimit()}.
     *
     * @param bytes 0 (copy nothing) to {@link #MAX_REPLAY_COPY_LIMIT}
     * @return this builder
     */
    public Builder replayCopyLimit(long bytes) {
      this.replayCopyLimit = bytes;
      return this;
    }

    /**
     * The options.
     *
     * @return the options
     * @throws InvalidSettingsException naming the parameter and its value, when out of range
     */
    public HttpClient5Options build() {
      if (replayCopyLimit < 0 || replayCopyLimit > MAX_REPLAY_COPY_LIMIT) {
        throw new InvalidSettingsException("HttpClient5Options", List.of(new InvalidSettingsException.Problem(
            "replayCopyLimit", "must be between 0 and " + MAX_REPLAY_COPY_LIMIT + " bytes",
            Long.toString(replayCopyLimit))));
      }
      return new HttpClient5Options(this);
    }
  }
}
