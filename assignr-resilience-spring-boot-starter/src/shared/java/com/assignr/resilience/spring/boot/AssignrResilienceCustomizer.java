package com.assignr.resilience.spring.boot;

import com.assignr.resilience.AssignrResilience;

/**
 * Adjusts the auto-configured {@link AssignrResilience} after the properties are applied: add a
 * listener, a circuit breaker, a {@code QuotaKey} or a time source. Every bean of this type is
 * applied, in {@code @Order}.
 *
 * <pre>{@code
 * @Bean
 * AssignrResilienceCustomizer breaker(CircuitBreakerRegistry breakers) {
 *   return builder -> builder.circuitBreaker(breakers.circuitBreaker("assignr"));
 * }
 * }</pre>
 */
@FunctionalInterface
public interface AssignrResilienceCustomizer {
  /**
   * Changes the builder before the configuration is built.
   *
   * @param builder the builder, with the properties applied
   */
  void customize(AssignrResilience.Builder builder);
}
