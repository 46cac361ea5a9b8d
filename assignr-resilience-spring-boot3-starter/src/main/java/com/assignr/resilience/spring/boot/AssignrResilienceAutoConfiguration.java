package com.assignr.resilience.spring.boot;

import com.assignr.resilience.AssignrResilience;
import com.assignr.resilience.TimeSource;
import com.assignr.resilience.micrometer.AssignrMetrics;
import com.assignr.resilience.oauth.Credentials;
import com.assignr.resilience.oauth.TokenSource;
import com.assignr.resilience.spi.GateStore;
import com.assignr.resilience.spring.AssignrClientHttpRequestInterceptor;
import com.assignr.resilience.spring.AssignrExchangeFilterFunction;
import com.assignr.resilience.spring.boot.internal.AssignrHealthIndicator;
import com.assignr.resilience.spring.boot.internal.ConnectorChoice;
import com.assignr.resilience.spring.boot.internal.FilterCustomizer;
import com.assignr.resilience.spring.boot.internal.InterceptorCustomizer;
import com.assignr.resilience.spring.boot.internal.PropertiesMapping;
import com.assignr.resilience.spring.boot.internal.SharedConfiguration;
import com.assignr.resilience.spring.boot.internal.SpringSecurityConfiguration;
import com.assignr.resilience.spring.boot.internal.WebClientConfiguration;
import java.util.function.Supplier;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.http.client.ClientHttpRequestFactoryBuilder;
import org.springframework.boot.http.client.ClientHttpRequestFactorySettings;
import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.boot.http.client.HttpRedirects;
import org.springframework.boot.http.client.JdkHttpClientBuilder;
import org.springframework.boot.http.client.reactive.ClientHttpConnectorBuilder;
import org.springframework.boot.http.client.reactive.ClientHttpConnectorSettings;
import org.springframework.boot.web.client.RestClientCustomizer;
import org.springframework.boot.web.client.RestTemplateBuilder;
import org.springframework.boot.web.reactive.function.client.WebClientCustomizer;
import org.springframework.boot.autoconfigure.web.client.RestClientAutoConfiguration;
import org.springframework.boot.autoconfigure.web.client.RestClientBuilderConfigurer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Scope;
import org.springframework.http.HttpHeaders;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Auto-configuration of assignr-resilience for Spring Boot 3.5 ({@code
 * assignr-resilience-spring-boot3-starter}; Boot 4 has {@code assignr-resilience-spring-boot-starter},
 * with the same properties and beans). Beans, each backing off when the application defines its own:
 *
 * <ul>
 *   <li>{@link AssignrResilience} from {@code assignr.resilience.*} and every {@link
 *       AssignrResilienceCustomizer}, with the {@link Credentials} bean, the {@link TimeSource} bean
 *       and the {@link GateStore} bean when there are such beans;
 *   <li>with {@code assignr.resilience.credentials.client-id} and {@code client-secret}: a {@link
 *       TokenSource} for the OAuth client-credentials grant ({@code AssignrOAuth} on a {@code
 *       java.net.http} client) and the {@link Credentials} on it. An application's own {@code
 *       TokenSource} bean replaces the grant (client-id alone then names the quota); its own {@code
 *       Credentials} bean replaces both. Requests then carry {@code Bearer <token>}, refreshed ahead
 *       of expiry and renewed once after a 401, and draw on the client's quota;
 *   <li>{@link AssignrClientHttpRequestInterceptor} on it, and the Assignr clients, each on the JDK's
 *       {@code HttpClient} with Boot's HTTP client settings but no redirects (Apache
 *       HttpClient 5, which Boot prefers whenever it is on the classpath, resends 429 and 503 by
 *       itself, POSTs included, below any interceptor; a followed 302 turns a POST into a GET):
 *       <ul>
 *         <li>a prototype {@code @AssignrRestClient RestClient.Builder} (Boot's builder with the
 *             interceptor, the base URL and the static token, if one is set);
 *         <li>a prototype {@code @AssignrRestClient RestTemplateBuilder}, the same for {@code
 *             RestTemplate};
 *         <li>Boot 3.5 has no HTTP service groups: an {@code @HttpExchange} interface's proxy is
 *             made from an {@code @AssignrRestClient} builder's client ({@code
 *             HttpServiceProxyFactory} with a {@code RestClientAdapter});
 *         <li>with {@code assignr.resilience.rest-client.apply-to-all=true}, every {@code
 *             RestClient.Builder}, {@code RestTemplateBuilder} Boot makes;
 *       </ul>
 *   <li>with WebFlux, {@code AssignrExchangeFilterFunction} on it, and the Assignr {@code WebClient}s,
 *       on Boot's connector, unless it is HttpClient 5's (which resends 429 and 503 by itself): then
 *       on the JDK's {@code HttpClient} with Boot's settings and no redirects:
 *       <ul>
 *         <li>a prototype {@code @AssignrWebClient WebClient.Builder} (Boot's builder with the
 *             filter, the base URL and the static token, if one is set); an {@code @HttpExchange}
 *             interface's proxy is made from its client ({@code HttpServiceProxyFactory} with a
 *             {@code WebClientAdapter});
 *         <li>with {@code assignr.resilience.web-client.apply-to-all=true}, every {@code
 *             WebClient.Builder} Boot makes;
 *       </ul>
 *   <li>with {@code assignr-resilience-redis} and {@code assignr.resilience.redis.uri}: a {@link
 *       GateStore} in Redis, so that a fleet of instances shares one gate per quota;
 *   <li>with Micrometer and a {@code MeterRegistry}: {@link AssignrMetrics}, added as a listener
 *       (the SLF4J one stays) and given each gate's gauges;
 *   <li>with Actuator's health support: the {@code assignr} health indicator.
 * </ul>
 */
@AutoConfiguration(after = RestClientAutoConfiguration.class,
    afterName = {"org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.autoconfigure.web.client.RestTemplateAutoConfiguration"})
@ConditionalOnBooleanProperty(name = "assignr.resilience.enabled", matchIfMissing = true)
@EnableConfigurationProperties(AssignrResilienceProperties.class)
@Import({SharedConfiguration.Resilience.class, SharedConfiguration.Redis.class, SharedConfiguration.Metrics.class,
    WebClientConfiguration.class, SpringSecurityConfiguration.class})
public class AssignrResilienceAutoConfiguration {
  /** Creates the auto-configuration; Spring Boot does. */
  public AssignrResilienceAutoConfiguration() {}

  /**
   * The request factory of every Assignr client: the JDK's {@code HttpClient} with Boot's settings,
   * never following redirects.
   */
  static Supplier<ClientHttpRequestFactory> jdkFactory(ObjectProvider<ClientHttpRequestFactorySettings> settings) {
    return () -> ClientHttpRequestFactoryBuilder.jdk().build(settings.getIfAvailable(ClientHttpRequestFactorySettings::defaults)
        .withRedirects(ClientHttpRequestFactorySettings.Redirects.DONT_FOLLOW));
  }

  /** The Spring side: the builders that get the interceptor. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass({RestClient.class, RestClientCustomizer.class})
  static class RestClientConfiguration {
    @Bean(defaultCandidate = false)
    @AssignrRestClient
    @Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
    @ConditionalOnMissingBean(annotation = AssignrRestClient.class)
    RestClient.Builder assignrRestClientBuilder(ObjectProvider<RestClientBuilderConfigurer> configurer,
        ObjectProvider<ClientHttpRequestFactorySettings> settings, AssignrClientHttpRequestInterceptor interceptor,
        AssignrResilienceProperties properties) {
      RestClient.Builder builder = RestClient.builder();
      RestClientBuilderConfigurer boot = configurer.getIfAvailable();
      if (boot != null) builder = boot.configure(builder);
      return SharedConfiguration.assignrBuilder(builder, jdkFactory(settings).get(), interceptor, properties, true);
    }

    @Bean(defaultCandidate = false)
    @AssignrRestClient
    @Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
    @ConditionalOnMissingBean(name = "assignrRestTemplateBuilder")
    RestTemplateBuilder assignrRestTemplateBuilder(ObjectProvider<RestTemplateBuilder> boot,
        ObjectProvider<ClientHttpRequestFactorySettings> settings, AssignrClientHttpRequestInterceptor interceptor,
        AssignrResilienceProperties properties) {
      RestTemplateBuilder builder = boot.getIfAvailable(RestTemplateBuilder::new)
          .requestFactory(jdkFactory(settings))
          .additionalInterceptors(interceptor)
          .rootUri(properties.getBaseUrl());
      String token = SharedConfiguration.staticToken(properties, interceptor.resilience());
      return token == null ? builder : builder.defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + token);
    }

    @Bean
    @ConditionalOnBooleanProperty(name = "assignr.resilience.rest-client.apply-to-all")
    @ConditionalOnMissingBean(name = "assignrRestClientCustomizer")
    InterceptorCustomizer assignrRestClientCustomizer(AssignrClientHttpRequestInterceptor interceptor,
        ObjectProvider<ClientHttpRequestFactorySettings> settings, AssignrResilienceProperties properties) {
      return new InterceptorCustomizer(interceptor, jdkFactory(settings), properties);
    }
  }

  /**
   * {@code web-client.apply-to-all}, with WebFlux. The filter and the {@code @AssignrWebClient}
   * builder are {@link WebClientConfiguration}'s, shared with Boot 4.
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass({WebClient.class, WebClientCustomizer.class})
  static class WebClientCustomizerConfiguration {
    @Bean
    @ConditionalOnBooleanProperty(name = "assignr.resilience.web-client.apply-to-all")
    @ConditionalOnMissingBean(name = "assignrWebClientCustomizer")
    FilterCustomizer assignrWebClientCustomizer(AssignrExchangeFilterFunction filter, ConnectorChoice connector,
        AssignrResilienceProperties properties) {
      return new FilterCustomizer(filter, connector, properties);
    }
  }

  /**
   * The connector of every Assignr {@code WebClient}: Boot's, unless it is HttpClient 5's (see {@link
   * ConnectorChoice}); then the JDK's with Boot's {@code spring.http.reactiveclient.*} settings, no
   * redirects.
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(WebClient.class)
  static class WebClientConnectorConfiguration {
    @Bean
    @ConditionalOnMissingBean
    ConnectorChoice assignrWebClientConnector(ObjectProvider<ClientHttpConnectorBuilder<?>> boot,
        ObjectProvider<ClientHttpConnectorSettings> settings) {
      return new ConnectorChoice(boot.getIfAvailable(ClientHttpConnectorBuilder::detect), () -> ClientHttpConnectorBuilder.jdk()
          .build(settings.getIfAvailable(ClientHttpConnectorSettings::defaults).withRedirects(HttpRedirects.DONT_FOLLOW)));
    }
  }

  /**
   * The OAuth client of {@code assignr.resilience.credentials.client-id}: a {@link TokenSource}
   * for the client-credentials grant and the {@link Credentials} that cache and refresh its
   * tokens, each backing off for the application's own.
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnProperty(prefix = "assignr.resilience.credentials", name = "client-id")
  static class OAuthClientConfiguration {
    /**
     * The grant on a {@code java.net.http} client with Boot's HTTP client settings
     * (connect timeout, SSL bundle), as the Assignr clients', and never following redirects: a 307
     * would re-send the client secret to the redirect's host.
     */
    @Bean
    @ConditionalOnMissingBean
    Credentials assignrCredentials(AssignrResilienceProperties properties, ObjectProvider<TokenSource> own,
        ObjectProvider<ClientHttpRequestFactorySettings> settings, ObjectProvider<TimeSource> timeSource) {
      ClientHttpRequestFactorySettings s = settings.getIfAvailable(ClientHttpRequestFactorySettings::defaults);
      return SharedConfiguration.credentials(properties, own, () -> new JdkHttpClientBuilder().build(
          new HttpClientSettings(HttpRedirects.DONT_FOLLOW, s.connectTimeout(), s.readTimeout(), s.sslBundle())), timeSource);
    }
  }

  /** The {@code assignr} health component, with Actuator's health support. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(HealthIndicator.class)
  static class HealthConfiguration {
    @Bean
    @ConditionalOnEnabledHealthIndicator("assignr") // its condition class needs Actuator: here, not on the class
    @ConditionalOnMissingBean(name = "assignrHealthIndicator")
    HealthIndicator assignrHealthIndicator(AssignrResilience resilience) {
      return new AssignrHealthIndicator(resilience);
    }
  }
}
