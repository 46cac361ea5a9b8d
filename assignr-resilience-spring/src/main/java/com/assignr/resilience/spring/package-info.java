/**
 * assignr-resilience for Spring's {@code RestClient} and {@code RestTemplate}: {@link
 * com.assignr.resilience.spring.AssignrClientHttpRequestInterceptor} runs core's executor around
 * every call. Spring Framework 7; see the README for using the JDK decorator as the request
 * factory instead.
 */
package com.assignr.resilience.spring;
