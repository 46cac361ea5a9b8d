package com.assignr.resilience.spring.boot;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.beans.factory.annotation.Qualifier;

/**
 * Marks the {@code WebClient.Builder} for Assignr, when the application has WebFlux: Boot's builder
 * (its codecs, connector and customizers) with the assignr-resilience {@code
 * AssignrExchangeFilterFunction}, {@code assignr.resilience.base-url} and, when set, the static
 * {@code assignr.resilience.credentials.token}. With OAuth client credentials it sets no {@code
 * Authorization}: the filter adds a managed token to every request. A new builder per injection
 * point; the {@code WebClient} counterpart of {@link AssignrRestClient}.
 *
 * <pre>{@code
 * @Bean
 * WebClient assignr(@AssignrWebClient WebClient.Builder builder) {
 *   return builder.build();
 * }
 * }</pre>
 *
 * <p>Unmarked {@code WebClient.Builder}s stay as Boot makes them, unless {@code
 * assignr.resilience.web-client.apply-to-all=true}.
 */
@Target({ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER, ElementType.TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Qualifier
public @interface AssignrWebClient {}
