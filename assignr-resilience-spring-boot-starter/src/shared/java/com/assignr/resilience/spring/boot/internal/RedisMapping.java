package com.assignr.resilience.spring.boot.internal;

import com.assignr.resilience.InvalidSettingsException;
import com.assignr.resilience.redis.RedisGateStore;
import com.assignr.resilience.spring.boot.AssignrResilienceProperties;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * {@code assignr.resilience.redis.*} to {@link RedisGateStore#builder()}, and the builder's
 * refusals back to properties. The builder owns every rule; this class only renames. Loaded only
 * when {@code assignr-resilience-redis} is on the classpath. Not for users.
 */
public final class RedisMapping {
  private static final String PREFIX = "assignr.resilience.redis.";
  /** The builder's parameter names to the properties they come from. */
  private static final Map<String, String> PROPERTIES = Map.of(
      "uri", "uri", "timeout", "timeout", "connectTimeout", "connect-timeout",
      "keyPrefix", "key-prefix", "inFlightLease", "in-flight-lease", "probeInterval", "probe-interval",
      "maxTimeout", "max-timeout", "degradedShare", "degraded-share", "heldPlaces", "held-places",
      "holdFor", "hold-for");

  private RedisMapping() {}

  /**
   * The store of the properties; unset values are the store's defaults. It connects, waiting at
   * most {@code connect-timeout}; without Redis by then its gates start degraded.
   *
   * @throws InvalidConfigurationPropertyValueException naming the first property the builder
   *     refuses, with every problem in the reason (and the URI never shown with its password)
   */
  public static RedisGateStore store(AssignrResilienceProperties.Redis p) {
    RedisGateStore.Builder b = RedisGateStore.builder().uri(p.getUri());
    if (p.getTimeout() != null) b.timeout(p.getTimeout());
    if (p.getMaxTimeout() != null) b.maxTimeout(p.getMaxTimeout());
    if (p.getDegradedShare() != null) b.degradedShare(p.getDegradedShare());
    if (p.getConnectTimeout() != null) b.connectTimeout(p.getConnectTimeout());
    if (p.getKeyPrefix() != null) b.keyPrefix(p.getKeyPrefix());
    if (p.getInFlightLease() != null) b.inFlightLease(p.getInFlightLease());
    if (p.getProbeInterval() != null) b.probeInterval(p.getProbeInterval());
    if (p.getHeldPlaces() != null) b.heldPlaces(p.getHeldPlaces());
    if (p.getHoldFor() != null) b.holdFor(p.getHoldFor());
    try {
      return b.build();
    } catch (IllegalArgumentException e) {
      throw refusal(e, p);
    }
  }

  private static InvalidConfigurationPropertyValueException refusal(IllegalArgumentException e,
      AssignrResilienceProperties.Redis p) {
    List<InvalidSettingsException.Problem> problems = e instanceof InvalidSettingsException
        ? ((InvalidSettingsException) e).problems() : List.of();
    String first = null;
    List<String> reasons = new ArrayList<>();
    if (problems.isEmpty()) reasons.add(String.valueOf(e.getMessage()));
    for (InvalidSettingsException.Problem problem : problems) {
      String property = PROPERTIES.get(problem.setting());
      if (property == null) {
        reasons.add(problem.toString());
        continue;
      }
      if (first == null) first = property;
      reasons.add(PREFIX + property + " " + problem.rule() + " but was " + problem.value());
    }
    String name = PREFIX + (first == null ? "uri" : first);
    Object value = switch (first == null ? "uri" : first) {
      case "timeout" -> p.getTimeout();
      case "max-timeout" -> p.getMaxTimeout();
      case "degraded-share" -> p.getDegradedShare();
      case "connect-timeout" -> p.getConnectTimeout();
      case "key-prefix" -> p.getKeyPrefix();
      case "in-flight-lease" -> p.getInFlightLease();
      case "probe-interval" -> p.getProbeInterval();
      case "held-places" -> p.getHeldPlaces();
      case "hold-for" -> p.getHoldFor();
      default -> PropertiesMapping.redactRedisUri(p.getUri());
    };
    // The store's problems never hold its URI's password: it redacts them itself.
    return new InvalidConfigurationPropertyValueException(name, value, String.join("; ", reasons));
  }
}
