package com.assignr.resilience.spring.boot;

import com.assignr.resilience.AssignrResilience;
import com.assignr.resilience.Credentials;
import com.assignr.resilience.spi.GateStore;
import com.assignr.resilience.TimeSource;
import com.assignr.resilience.TokenSource;
import com.assignr.resilience.micrometer.AssignrMetrics;
import com.assignr.resilience.redis.RedisGateStore;
import com.assignr.resilience.spring.AssignrClientHttpRequestInterceptor;
import com.assignr.resilience.spring.boot.internal.AssignrHealthIndicator;
import com.assignr.resilience.spring.boot.internal.InterceptorCustomizer;
import com.assignr.resilience.spring.boot.internal.MetricsBinding;
import com.assignr.resilience.spring.boot.internal.PropertiesMapping;
import com.assignr.resilience.spring.boot.internal.RedisMapping;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.http.client.ClientHttpRequestFactoryBuilder;
import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.boot.http.client.HttpRedirects;
import org.springframework.boot.http.client.JdkHttpClientBuilder;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.restclient.RestClientCustomizer;
import org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration;
import org.springframework.boot.restclient.autoconfigure.RestClientBuilderConfigurer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Scope;
import org.springframework.http.HttpHeaders;
import org.springframework.web.client.RestClient;

/**
 * Auto-configuration of assignr-resilience for Spring Boot 4. Beans, each backing off when the
 * application defines its own:
 *
 * <ul>
 *   <li>{@link AssignrResilience} from {@code assignr.resilience.*} and every {@link
 *       AssignrResilienceCustomizer}, with the {@link Credentials} bean and the {@link TimeSource}
 *       bean when there are such beans;
 *   <li>with {@code assignr.resilience.credentials.client-id} and {@code client-secret}: a {@link
 *       TokenSource} for the OAuth client-credentials grant ({@code AssignrOAuth} on a {@code
 *       java.net.http} client) and the {@link Credentials} on it, on the same time source as the
 *       {@code AssignrResilience}. An application's own {@code TokenSource} bean replaces the
 *       grant (client-id alone then names the quota); its own {@code Credentials} bean replaces
 *       both (no client-id needed). Requests then carry {@code Bearer <token>}, refreshed ahead of
 *       expiry and renewed once after a 401, and draw on the client's quota;
 *   <li>{@link AssignrClientHttpRequestInterceptor} on it, and a prototype {@code @AssignrRestClient
 *       RestClient.Builder} (Boot's builder with the interceptor, the base URL and the static
 *       token, if one is set);
 *       with {@code assignr.resilience.rest-client.apply-to-all=true}, a {@code RestClientCustomizer}
 *       that adds the interceptor to every builder;
 *   <li>with {@code assignr-resilience-redis} and {@code assignr.resilience.redis.uri}: a {@link
 *       GateStore} in Redis, so that a fleet of instances shares one gate per quota (the
 *       application's own {@code GateStore} bean, if any, is used instead);
 *   <li>with Micrometer and a {@code MeterRegistry}: {@link AssignrMetrics}, added as a listener
 *       (the SLF4J one stays) and given each gate's gauges;
 *   <li>with Actuator's health support: the {@code assignr} health indicator.
 * </ul>
 */
@AutoConfiguration(after = RestClientAutoConfiguration.class,
    afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration")
@ConditionalOnBooleanProperty(name = "assignr.resilience.enabled", matchIfMissing = true)
@EnableConfigurationProperties(AssignrResilienceProperties.class)
public class AssignrResilienceAutoConfiguration {

  /**
   * The configuration every Assignr client of the application shares, so that they share its
   * rate-limit gates.
   *
   * @param properties {@code assignr.resilience.*}
   * @param customizers applied after the properties, in order
   * @param credentials the OAuth client's tokens, when there is a {@link Credentials} bean
   * @param timeSource the time seam, when there is a {@link TimeSource} bean
   * @param gateStore where the gates' state lives, when there is a {@link GateStore} bean (the
   *     Redis store of {@code assignr.resilience.redis.uri}, or the application's own)
   * @return the configuration
   */
  @Bean
  @ConditionalOnMissingBean
  public AssignrResilience assignrResilience(AssignrResilienceProperties properties,
      ObjectProvider<AssignrResilienceCustomizer> customizers, ObjectProvider<Credentials> credentials,
      ObjectProvider<TimeSource> timeSource, ObjectProvider<GateStore> gateStore) {
    AssignrResilience.Builder builder = PropertiesMapping.builder(properties);
    GateStore store = gateStore.getIfUnique();
    if (store != null) builder.gateStore(store);
    TimeSource time = timeSource.getIfUnique();
    if (time != null) builder.timeSource(time);
    Credentials managed = credentials.getIfUnique();
    // Core requires the credentials' time source; the starter's own use the TimeSource bean too.
    if (managed != null) builder.timeSource(managed.timeSource()).credentials(managed);
    customizers.orderedStream().forEach(c -> c.customize(builder));
    return builder.build();
  }

  /** The Spring side: the interceptor and the builders that get it. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass({RestClient.class, RestClientCustomizer.class})
  static class RestClientConfiguration {
    @Bean
    @ConditionalOnMissingBean
    AssignrClientHttpRequestInterceptor assignrClientHttpRequestInterceptor(AssignrResilience resilience) {
      return AssignrClientHttpRequestInterceptor.create(resilience);
    }

    /**
     * A new Boot builder per injection point, marked, with the interceptor, base URL and token. Its
     * requests go through the JDK's {@code HttpClient} with Boot's {@code spring.http.client.*}
     * settings but no redirects: Apache HttpClient 5, which Boot prefers whenever it is on the
     * classpath, retries 429 and 503 by itself (POSTs included) below any interceptor, and a
     * followed 302 turns a POST into a GET.
     */
    @Bean(defaultCandidate = false)
    @AssignrRestClient
    @Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
    @ConditionalOnMissingBean(annotation = AssignrRestClient.class)
    RestClient.Builder assignrRestClientBuilder(ObjectProvider<RestClientBuilderConfigurer> configurer,
        ObjectProvider<HttpClientSettings> settings, AssignrClientHttpRequestInterceptor interceptor,
        AssignrResilienceProperties properties, AssignrResilience resilience) {
      RestClient.Builder builder = RestClient.builder();
      RestClientBuilderConfigurer boot = configurer.getIfAvailable();
      if (boot != null) builder = boot.configure(builder);
      builder.requestFactory(ClientHttpRequestFactoryBuilder.jdk()
          .build(settings.getIfAvailable(HttpClientSettings::defaults).withRedirects(HttpRedirects.DONT_FOLLOW)));
      new InterceptorCustomizer(interceptor).customize(builder);
      builder.baseUrl(properties.getBaseUrl());
      String token = properties.getCredentials().getToken();
      if (token != null && resilience.credentials() != null) {
        // A static header would win over the managed token on every request.
        throw new InvalidConfigurationPropertyValueException("assignr.resilience.credentials.token", "<hidden>",
            "It must not be set when the AssignrResilience bean has managed credentials (OAuth client"
                + " credentials, or a Credentials or TokenSource bean)");
      }
      // With managed credentials the library adds Authorization itself, a fresh token each time.
      if (token != null) builder.defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + token);
      return builder;
    }

    @Bean
    @ConditionalOnBooleanProperty(name = "assignr.resilience.rest-client.apply-to-all")
    @ConditionalOnMissingBean(name = "assignrRestClientCustomizer")
    RestClientCustomizer assignrRestClientCustomizer(AssignrClientHttpRequestInterceptor interceptor) {
      return new InterceptorCustomizer(interceptor);
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
     * The grant on a {@code java.net.http} client with Boot's {@code spring.http.client.*} settings
     * (connect timeout, SSL bundle), as the {@code @AssignrRestClient} builder's, and never
     * following redirects: a 307 would re-send the client secret to the redirect's host.
     */
    @Bean
    @ConditionalOnMissingBean({TokenSource.class, Credentials.class})
    TokenSource assignrTokenSource(AssignrResilienceProperties properties, ObjectProvider<HttpClientSettings> settings) {
      return PropertiesMapping.tokenSource(properties, () -> new JdkHttpClientBuilder()
          .build(settings.getIfAvailable(HttpClientSettings::defaults).withRedirects(HttpRedirects.DONT_FOLLOW)));
    }

    @Bean
    @ConditionalOnMissingBean
    Credentials assignrCredentials(TokenSource source, AssignrResilienceProperties properties,
        ObjectProvider<TimeSource> timeSource, ObjectProvider<AssignrMetrics> metrics) {
      Credentials.Builder credentials = Credentials.builder(source)
          .clientId(properties.getCredentials().getClientId())
          .timeSource(timeSource.getIfUnique(TimeSource::system));
      metrics.ifUnique(credentials::addListener); // assignr.token.refreshes; the SLF4J listener stays
      return credentials.build();
    }
  }

  /**
   * The fleet-wide gate store, when {@code assignr-resilience-redis} is on the classpath and {@code
   * assignr.resilience.redis.uri} is set; an application's own {@link GateStore} bean replaces it.
   * Closed with the context.
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "com.assignr.resilience.redis.RedisGateStore")
  @ConditionalOnProperty(prefix = "assignr.resilience.redis", name = "uri")
  static class RedisConfiguration {
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean(GateStore.class)
    RedisGateStore assignrGateStore(AssignrResilienceProperties properties) {
      return RedisMapping.store(properties.getRedis());
    }
  }

  /** Meters, when Micrometer is on the classpath and a registry is a bean. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass({MeterRegistry.class, AssignrMetrics.class})
  @ConditionalOnBean(MeterRegistry.class)
  @ConditionalOnBooleanProperty(name = "assignr.resilience.metrics.enabled", matchIfMissing = true)
  static class MetricsConfiguration {
    @Bean
    @ConditionalOnMissingBean
    AssignrMetrics assignrMetrics(MeterRegistry registry, AssignrResilienceProperties properties) {
      return AssignrMetrics.builder(registry).maxQuotas(properties.getMetrics().getMaxQuotas()).build();
    }

    /** Adds the binder as a listener to the auto-configured bean; the SLF4J listener stays. */
    @Bean
    AssignrResilienceCustomizer assignrMetricsListener(AssignrMetrics metrics) {
      return builder -> builder.addListener(metrics);
    }

    @Bean
    MetricsBinding assignrMetricsBinding(AssignrMetrics metrics, ObjectProvider<AssignrResilience> configurations) {
      return new MetricsBinding(metrics, configurations);
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
