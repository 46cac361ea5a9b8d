package com.assignr.resilience.spring.boot.internal;

import com.assignr.resilience.AssignrResilience;
import com.assignr.resilience.spring.AssignrExchangeFilterFunction;
import com.assignr.resilience.spring.boot.AssignrResilienceProperties;
import com.assignr.resilience.spring.boot.AssignrWebClient;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Scope;
import org.springframework.http.HttpHeaders;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * The {@code WebClient} side both Boot lines define alike, when the application has WebFlux: the
 * filter on the {@code AssignrResilience} bean and the {@code @AssignrWebClient} builder. What
 * differs between the lines (the {@code WebClientCustomizer} of {@code web-client.apply-to-all},
 * Boot 4's service groups) stays in each starter. A class of its own, so that nothing loads a
 * WebFlux type in an application without WebFlux. Not for users.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(WebClient.class)
public class WebClientConfiguration {
  /** Creates the configuration; Spring Boot does. */
  public WebClientConfiguration() {}

  @Bean
  @ConditionalOnMissingBean
  AssignrExchangeFilterFunction assignrExchangeFilterFunction(AssignrResilience resilience) {
    return AssignrExchangeFilterFunction.create(resilience);
  }

  /** Boot's builder (a new one per injection point, with Boot's customizers), made an Assignr one. */
  @Bean(defaultCandidate = false)
  @AssignrWebClient
  @Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
  @ConditionalOnMissingBean(annotation = AssignrWebClient.class)
  WebClient.Builder assignrWebClientBuilder(ObjectProvider<WebClient.Builder> boot, AssignrExchangeFilterFunction filter,
      ConnectorChoice connector, AssignrResilienceProperties properties) {
    return assignrBuilder(boot.getIfAvailable(WebClient::builder), filter, connector, properties, true);
  }

  /**
   * Makes {@code builder} an Assignr builder: the filter once, after the filters it has so far
   * (a filter that sets {@code Authorization} belongs before it, or the quota is named by {@code
   * quota-key}), the connector of {@code connector} (Boot's, unless it is HttpClient 5's), and, with
   * {@code defaults}, the base URL and the static token. The counterpart of {@link
   * SharedConfiguration#assignrBuilder}.
   */
  public static WebClient.Builder assignrBuilder(WebClient.Builder builder, AssignrExchangeFilterFunction filter,
      ConnectorChoice connector, AssignrResilienceProperties properties, boolean defaults) {
    connector.apply(builder);
    builder.filters(list -> {
      if (!list.contains(filter)) list.add(filter);
    });
    if (!defaults) return builder;
    builder.baseUrl(properties.getBaseUrl());
    String token = SharedConfiguration.staticToken(properties, filter.resilience());
    if (token != null) builder.defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + token);
    return builder;
  }
}
