package com.assignr.resilience.spi;

import com.assignr.resilience.GatePolicy;
import com.assignr.resilience.RetryListener;
import com.assignr.resilience.TimeSource;

import java.time.Duration;
import java.util.Objects;

/**
 * Where the rate-limit gates keep their state: the SPI for sharing one quota across JVMs. The
 * default, {@link #local()}, keeps each quota's state in this JVM; {@code
 * assignr-resilience-redis} keeps it in Redis, so that every instance of a fleet sees the same
 * budget, closures and release order. {@link com.assignr.resilience.AssignrResilience} asks the store once per quota key
 * and keeps the gate it returns.
 */
@FunctionalInterface
public interface GateStore {

  /**
   * The gate of one quota, created on its first use.
   *
   * @param context the quota key and everything a gate needs
   * @return the gate; called once per quota key
   */
  RateLimitGate gate(Context context);

  /**
   * The in-process store: each quota's state lives in this JVM only.
   *
   * @return the default store
   */
  static GateStore local() {
    return RateLimitGate::local;
  }

  /**
   * What a store is given to create a gate.
   *
   * @param quotaKey the quota (see {@link com.assignr.resilience.QuotaKey}); never a credential
   * @param policy the gate's settings
   * @param rateLimitMargin added to every reset before the gate reopens (the retry policy's {@link
   *     com.assignr.resilience.RetryPolicy#rateLimitMargin()}): Assignr rounds seconds down
   * @param time the time seam
   * @param listener receives the gate's events
   */
  record Context(String quotaKey, GatePolicy policy, Duration rateLimitMargin, TimeSource time,
      RetryListener listener) {
    public Context {
      Objects.requireNonNull(quotaKey, "quotaKey");
      Objects.requireNonNull(policy, "policy");
      Objects.requireNonNull(rateLimitMargin, "rateLimitMargin");
      Objects.requireNonNull(time, "time");
      Objects.requireNonNull(listener, "listener");
    }
  }
}
