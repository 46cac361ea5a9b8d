package com.assignr.resilience.spring.boot.internal;

import com.assignr.resilience.AssignrResilience;
import com.assignr.resilience.micrometer.AssignrMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * Once every singleton exists, gives each {@code AssignrResilience} bean that hears the metrics
 * listener its gate gauges ({@link AssignrMetrics#monitor}). The auto-configured bean always hears
 * it; one of the application's own hears it when it was built with {@code addListener(metrics)},
 * and is otherwise left alone with a note in the log. Not for users.
 */
public final class MetricsBinding implements SmartInitializingSingleton {
  private static final Logger LOG = LoggerFactory.getLogger(MetricsBinding.class);

  private final AssignrMetrics metrics;
  private final ObjectProvider<AssignrResilience> configurations;

  public MetricsBinding(AssignrMetrics metrics, ObjectProvider<AssignrResilience> configurations) {
    this.metrics = metrics;
    this.configurations = configurations;
  }

  /**
   * Builds a binder with these settings on a throwaway registry and drops it, so that the
   * properties are checked by the binder's own rules before any bean is made.
   *
   * @param maxQuotas {@code assignr.resilience.metrics.max-quotas}
   * @return null
   * @throws com.assignr.resilience.InvalidSettingsException as {@link AssignrMetrics.Builder#build()}
   */
  public static Object checkSettings(int maxQuotas) {
    AssignrMetrics.builder(new SimpleMeterRegistry()).maxQuotas(maxQuotas).build();
    return null;
  }

  @Override
  public void afterSingletonsInstantiated() {
    configurations.orderedStream().forEach(resilience -> {
      if (!resilience.listeners().contains(metrics)) {
        LOG.info("An AssignrResilience bean was built without the AssignrMetrics listener, so it has no"
            + " meters; build it with builder.addListener(assignrMetrics) to get them");
        return;
      }
      try {
        metrics.monitor(resilience);
      } catch (IllegalStateException e) {
        LOG.warn("AssignrMetrics already monitors another AssignrResilience bean; define one AssignrMetrics"
            + " per configuration to meter both ({})", e.getMessage());
      }
    });
  }
}
