package com.assignr.resilience.spring.boot;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.beans.factory.annotation.Qualifier;

/**
 * Marks the {@code RestClient.Builder} for Assignr: Boot's builder (its message converters and
 * customizers) with the assignr-resilience interceptor, {@code assignr.resilience.base-url} and,
 * when set, the static {@code assignr.resilience.credentials.token}. With OAuth client credentials
 * ({@code client-id} and {@code client-secret}) it sets no {@code Authorization}: the library adds
 * a managed token to every request. A new builder per injection point.
 *
 * <pre>{@code
 * @Bean
 * RestClient assignr(@AssignrRestClient RestClient.Builder builder) {
 *   return builder.build();
 * }
 * }</pre>
 *
 * <p>Unmarked {@code RestClient.Builder}s stay as Boot makes them, unless {@code
 * assignr.resilience.rest-client.apply-to-all=true}.
 */
@Target({ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER, ElementType.TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Qualifier
public @interface AssignrRestClient {}
