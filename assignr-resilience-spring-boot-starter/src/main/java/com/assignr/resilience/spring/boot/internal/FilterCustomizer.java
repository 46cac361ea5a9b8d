package com.assignr.resilience.spring.boot.internal;

import com.assignr.resilience.spring.AssignrExchangeFilterFunction;
import com.assignr.resilience.spring.boot.AssignrResilienceProperties;
import org.springframework.boot.webclient.WebClientCustomizer;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * {@code web-client.apply-to-all}: every {@code WebClient.Builder} Boot makes gets the filter, once,
 * and the connector of {@link ConnectorChoice} (Boot applies its own connector's customizer first).
 * The counterpart of {@link InterceptorCustomizer}; this line's {@code WebClientCustomizer}.
 * Not for users.
 */
public final class FilterCustomizer implements WebClientCustomizer {
  private final AssignrExchangeFilterFunction filter;
  private final ConnectorChoice connector;
  private final AssignrResilienceProperties properties;

  public FilterCustomizer(AssignrExchangeFilterFunction filter, ConnectorChoice connector,
      AssignrResilienceProperties properties) {
    this.filter = filter;
    this.connector = connector;
    this.properties = properties;
  }

  @Override
  public void customize(WebClient.Builder builder) {
    WebClientConfiguration.assignrBuilder(builder, filter, connector, properties, false);
  }
}
