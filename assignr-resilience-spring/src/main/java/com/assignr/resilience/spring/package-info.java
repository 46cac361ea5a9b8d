/**
 * assignr-resilience for Spring's HTTP clients: {@link
 * com.assignr.resilience.spring.AssignrClientHttpRequestInterceptor} runs core's executor around
 * every call of a {@code RestClient} or {@code RestTemplate}, {@link
 * com.assignr.resilience.spring.AssignrExchangeFilterFunction} around every call of a {@code
 * WebClient}, without holding a thread while it waits. Spring Framework 7 and 6.2; see the README
 * for using the JDK decorator as the request factory instead.
 */
package com.assignr.resilience.spring;
