package com.assignr.resilience.spring.boot.internal;

import com.assignr.resilience.AssignrResilience;
import com.assignr.resilience.TimeSource;
import com.assignr.resilience.oauth.Credentials;
import com.assignr.resilience.oauth.TokenSource;
import com.assignr.resilience.spi.Authorizer;
import com.assignr.resilience.micrometer.AssignrMetrics;
import com.assignr.resilience.redis.RedisGateStore;
import com.assignr.resilience.spi.GateStore;
import com.assignr.resilience.spring.AssignrClientHttpRequestInterceptor;
import com.assignr.resilience.spring.boot.AssignrResilienceCustomizer;
import com.assignr.resilience.spring.boot.AssignrResilienceProperties;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.web.client.RestClient;

/**
 * The beans both Boot lines define alike, imported by each line's {@code
 * AssignrResilienceAutoConfiguration} (see its Javadoc for what they are). What differs between the
 * lines (Boot's HTTP client settings, its customizer and health types) stays in each starter. Not
 * for users.
 */
public final class SharedConfiguration {
  private SharedConfiguration() {}

  /** The configuration every Assignr client of the application shares, and the interceptor on it. */
  @Configuration(proxyBeanMethods = false)
  public static class Resilience {
    @Bean
    @ConditionalOnMissingBean
    AssignrResilience assignrResilience(AssignrResilienceProperties properties,
        ObjectProvider<AssignrResilienceCustomizer> customizers, ObjectProvider<Authorizer> credentials,
        ObjectProvider<TimeSource> timeSource, ObjectProvider<GateStore> gateStore) {
      AssignrResilience.Builder builder = PropertiesMapping.builder(properties);
      GateStore store = gateStore.getIfUnique();
      if (store != null) builder.gateStore(store);
      TimeSource time = timeSource.getIfUnique();
      if (time != null) builder.timeSource(time);
      Authorizer managed = credentials.getIfUnique();
      // Core requires the credentials' time source; the starter's own use the TimeSource bean too.
      if (managed != null) builder.timeSource(managed.timeSource()).credentials(managed);
      customizers.orderedStream().forEach(c -> c.customize(builder));
      return builder.build();
    }

    @Bean
    @ConditionalOnMissingBean
    AssignrClientHttpRequestInterceptor assignrClientHttpRequestInterceptor(AssignrResilience resilience) {
      return AssignrClientHttpRequestInterceptor.create(resilience);
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
  public static class Redis {
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
  public static class Metrics {
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

  /**
   * The {@link Credentials} of the OAuth client of the properties: the grant on the client {@code
   * http} makes, or the application's own {@link TokenSource} bean. Their token events reach the
   * {@code AssignrResilience} bean's listeners (its SLF4J logging, the Micrometer binder's {@code
   * assignr.token.refreshes}).
   */
  public static Credentials credentials(AssignrResilienceProperties properties, ObjectProvider<TokenSource> own,
      java.util.function.Supplier<java.net.http.HttpClient> http, ObjectProvider<TimeSource> timeSource) {
    return PropertiesMapping.credentials(properties, own.getIfUnique(), http, timeSource.getIfUnique(TimeSource::system));
  }

  /**
   * Makes {@code builder} an Assignr builder: requests through {@code factory} (one whose client
   * neither retries nor follows redirects on its own), the interceptor once, and, with {@code
   * defaults}, the base URL and the static token.
   */
  public static RestClient.Builder assignrBuilder(RestClient.Builder builder, ClientHttpRequestFactory factory,
      AssignrClientHttpRequestInterceptor interceptor, AssignrResilienceProperties properties, boolean defaults) {
    builder.requestFactory(factory);
    builder.requestInterceptors(list -> {
      if (!list.contains(interceptor)) list.add(interceptor);
    });
    if (!defaults) return builder;
    builder.baseUrl(properties.getBaseUrl());
    String token = staticToken(properties, interceptor.resilience());
    if (token != null) builder.defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + token);
    return builder;
  }

  /**
   * The static token, or null; refused with managed credentials, where a static header would win
   * over the managed token on every request (the library then adds a fresh token itself).
   */
  public static String staticToken(AssignrResilienceProperties properties, AssignrResilience resilience) {
    String token = properties.getCredentials().getToken();
    if (token != null && resilience.credentials() != null) {
      throw new InvalidConfigurationPropertyValueException("assignr.resilience.credentials.token", "<hidden>",
          "It must not be set when the AssignrResilience bean has managed credentials (OAuth client"
              + " credentials, or a Credentials or TokenSource bean)");
    }
    return token;
  }
}
