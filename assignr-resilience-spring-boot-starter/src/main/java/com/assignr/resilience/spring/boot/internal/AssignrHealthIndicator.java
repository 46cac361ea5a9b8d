package com.assignr.resilience.spring.boot.internal;

import com.assignr.resilience.AssignrResilience;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/** The {@code assignr} health component on Boot 4's health types; see {@link GateHealth}. Not for users. */
public final class AssignrHealthIndicator implements HealthIndicator {
  private final AssignrResilience resilience;

  public AssignrHealthIndicator(AssignrResilience resilience) {
    this.resilience = resilience;
  }

  @Override
  public Health health() {
    return Health.up().withDetails(GateHealth.details(resilience)).build();
  }
}
