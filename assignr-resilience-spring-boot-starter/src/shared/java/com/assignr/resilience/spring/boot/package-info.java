/**
 * Spring Boot auto-configuration for assignr-resilience: {@code assignr.resilience.*}
 * properties ({@link com.assignr.resilience.spring.boot.AssignrResilienceProperties}), an {@code
 * AssignrResilience} bean (with managed OAuth credentials when a client id and secret are set), the
 * interceptor on {@code @}{@link com.assignr.resilience.spring.boot.AssignrRestClient
 * AssignrRestClient} builders, Micrometer meters and an Actuator health indicator when those are
 * present. Every bean backs off when the application defines its own.
 *
 * <p>Two artifacts carry this package, one per Spring Boot line, with the same properties, beans
 * and types: {@code assignr-resilience-spring-boot-starter} for Boot 4 and {@code
 * assignr-resilience-spring-boot3-starter} for Boot 3.5. An application moves between lines by
 * changing the artifact only; on the wrong line it fails at startup saying which one to use.
 */
package com.assignr.resilience.spring.boot;
