package com.assignr.resilience.spring.boot.internal;

import com.assignr.resilience.spring.AssignrExchangeFilterFunction;
import com.assignr.resilience.spring.boot.AssignrResilienceProperties;
import org.springframework.boot.web.reactive.function.client.WebClientCustomizer;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * {@code web-client.apply-to-all}: every {@code WebClient.Builder} Boot makes gets the filter, once.
 * The counterpart of {@link InterceptorCustomizer}; this line's {@code WebClientCustomizer}.
 * Not for users.
 */
public final class FilterCustomizer implements WebClientCustomizer {
  private final AssignrExchangeFilterFunction filter;
  private final AssignrResilienceProperties properties;

  public FilterCustomizer(AssignrExchangeFilterFunction filter, AssignrResilienceProperties properties) {
    this.filter = filter;
    this.properties = properties;
  }

  @Override
  public void customize(WebClient.Builder builder) {
    WebClientConfiguration.assignrBuilder(builder, filter, properties, false);
  }
}
