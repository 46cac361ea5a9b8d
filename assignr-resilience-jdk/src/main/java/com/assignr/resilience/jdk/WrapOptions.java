package com.assignr.resilience.jdk;

import com.assignr.resilience.internal.Checks;
import java.util.Objects;

/**
 * How {@link AssignrHttpClient#wrap(java.net.http.HttpClient, com.assignr.resilience.AssignrResilience,
 * WrapOptions)} treats what only this decorator sees. Immutable; the builder's setters only store,
 * {@link Builder#build()} checks.
 *
 * <pre>{@code
 * HttpClient client = AssignrHttpClient.wrap(yours, resilience,
 *     WrapOptions.builder().replayCopyLimit(256 * 1024).build());
 * }</pre>
 */
public final class WrapOptions {
  /** 1 MiB: far above any Assignr write, small enough to hold for every call waiting in the gate. */
  public static final long DEFAULT_REPLAY_COPY_LIMIT = 1024 * 1024;
  /** The largest copy a Java array can hold. */
  public static final long MAX_REPLAY_COPY_LIMIT = Integer.MAX_VALUE - 8;

  private static final WrapOptions DEFAULTS = builder().build();

  private final long replayCopyLimit;

  private WrapOptions(Builder b) {
    this.replayCopyLimit = b.replayCopyLimit;
  }

  /**
   * The defaults: single-use bodies up to {@link #DEFAULT_REPLAY_COPY_LIMIT} are copied.
   *
   * @return the default options
   */
  public static WrapOptions defaults() {
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
   * The most bytes of a single-use request body (one that cannot be subscribed to again, such as
   * {@code BodyPublishers.fromPublisher}, {@code ofInputStream}, or Spring's {@code RestClient}
   * bodies) that are copied as the body is first read, so that the call can send it again when
   * the rules allow (after a 429 or a 503, or when no connection was established). A larger body,
   * or one declared larger, is sent once, as without a copy; 0 copies nothing.
   *
   * @return bytes
   */
  public long replayCopyLimit() {
    return replayCopyLimit;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WrapOptions other && other.replayCopyLimit == replayCopyLimit;
  }

  @Override
  public int hashCode() {
    return Objects.hash(replayCopyLimit);
  }

  @Override
  public String toString() {
    return "WrapOptions{replayCopyLimit=" + replayCopyLimit + '}';
  }

  /** Builds {@link WrapOptions}. */
  public static final class Builder {
    private long replayCopyLimit = DEFAULT_REPLAY_COPY_LIMIT;

    private Builder() {}

    /**
     * See {@link WrapOptions#replayCopyLimit()}.
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
     * @throws com.assignr.resilience.InvalidSettingsException naming the parameter and its value,
     *     when out of range
     */
    public WrapOptions build() {
      Checks c = new Checks("WrapOptions");
      c.check(replayCopyLimit >= 0 && replayCopyLimit <= MAX_REPLAY_COPY_LIMIT, "replayCopyLimit", replayCopyLimit,
          "must be between 0 and " + MAX_REPLAY_COPY_LIMIT + " bytes");
      c.throwIfAny();
      return new WrapOptions(this);
    }
  }
}
