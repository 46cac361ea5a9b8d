/**
 * Spring Boot 4 auto-configuration for assignr-resilience: {@code assignr.resilience.*}
 * properties ({@link com.assignr.resilience.spring.boot.AssignrResilienceProperties}), an {@code
 * AssignrResilience} bean (with managed OAuth credentials when a client id and secret are set), the interceptor on {@code @}{@link
 * com.assignr.resilience.spring.boot.AssignrRestClient AssignrRestClient} builders, Micrometer meters and an Actuator health indicator when those are
 * present. Every bean backs off when the application defines its own.
 */
package com.assignr.resilience.spring.boot;
