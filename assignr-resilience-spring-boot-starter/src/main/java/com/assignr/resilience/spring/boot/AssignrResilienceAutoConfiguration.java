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
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.http.client.ClientHttpRequestFactoryBuilder;
import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.boot.http.client.HttpRedirects;
import org.springframework.boot.http.client.JdkHttpClientBuilder;
import org.springframework.boot.http.client.reactive.ClientHttpConnectorBuilder;
import org.springframework.boot.restclient.RestClientCustomizer;
import org.springframework.boot.restclient.RestTemplateBuilder;
import org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration;
import org.springframework.boot.restclient.autoconfigure.RestClientBuilderConfigurer;
import org.springframework.boot.webclient.WebClientCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Scope;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpHeaders;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.support.RestClientHttpServiceGroupConfigurer;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.support.WebClientHttpServiceGroupConfigurer;
import org.springframework.web.service.registry.HttpServiceGroup;

/**
 * Auto-configuration of assignr-resilience for Spring Boot 4 ({@code
 * assignr-resilience-spring-boot-starter}; Boot 3.5 has {@code assignr-resilience-spring-boot3-starter},
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
 *       {@code HttpClient} with Boot's {@code spring.http.client.*} settings but no redirects (Apache
 *       HttpClient 5, which Boot prefers whenever it is on the classpath, resends 429 and 503 by
 *       itself, POSTs included, below any interceptor; a followed 302 turns a POST into a GET):
 *       <ul>
 *         <li>a prototype {@code @AssignrRestClient RestClient.Builder} (Boot's builder with the
 *             interceptor, the base URL and the static token, if one is set);
 *         <li>a prototype {@code @AssignrRestClient RestTemplateBuilder}, the same for {@code
 *             RestTemplate};
 *         <li>the HTTP service groups named in {@code assignr.resilience.service-groups} ({@code
 *             @ImportHttpServices(group = "assignr", ...)}): their clients, with the base URL unless
 *             {@code spring.http.serviceclient.<group>.base-url} is set;
 *         <li>with {@code assignr.resilience.rest-client.apply-to-all=true}, every {@code
 *             RestClient.Builder}, {@code RestTemplateBuilder} and service group Boot makes;
 *       </ul>
 *   <li>with WebFlux, {@code AssignrExchangeFilterFunction} on it, and the Assignr {@code WebClient}s,
 *       on Boot's connector, unless it is HttpClient 5's (which resends 429 and 503 by itself): then
 *       on the JDK's {@code HttpClient} with Boot's settings and no redirects:
 *       <ul>
 *         <li>a prototype {@code @AssignrWebClient WebClient.Builder} (Boot's builder with the
 *             filter, the base URL and the static token, if one is set);
 *         <li>the HTTP service groups backed by {@code WebClient} named in {@code
 *             assignr.resilience.service-groups} ({@code @ImportHttpServices(group = "assignr",
 *             clientType = WEB_CLIENT, ...)}), as the {@code RestClient} ones;
 *         <li>with {@code assignr.resilience.web-client.apply-to-all=true}, every {@code
 *             WebClient.Builder} and {@code WebClient} service group Boot makes;
 *       </ul>
 *   <li>with {@code assignr-resilience-redis} and {@code assignr.resilience.redis.uri}: a {@link
 *       GateStore} in Redis, so that a fleet of instances shares one gate per quota;
 *   <li>with Micrometer and a {@code MeterRegistry}: {@link AssignrMetrics}, added as a listener
 *       (the SLF4J one stays) and given each gate's gauges;
 *   <li>with Actuator's health support: the {@code assignr} health indicator.
 * </ul>
 */
@AutoConfiguration(after = RestClientAutoConfiguration.class,
    afterName = {"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.restclient.autoconfigure.RestTemplateAutoConfiguration"})
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
  static Supplier<ClientHttpRequestFactory> jdkFactory(ObjectProvider<HttpClientSettings> settings) {
    return () -> ClientHttpRequestFactoryBuilder.jdk()
        .build(settings.getIfAvailable(HttpClientSettings::defaults).withRedirects(HttpRedirects.DONT_FOLLOW));
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
        ObjectProvider<HttpClientSettings> settings, AssignrClientHttpRequestInterceptor interceptor,
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
        ObjectProvider<HttpClientSettings> settings, AssignrClientHttpRequestInterceptor interceptor,
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
        ObjectProvider<HttpClientSettings> settings, AssignrResilienceProperties properties) {
      return new InterceptorCustomizer(interceptor, jdkFactory(settings), properties);
    }

    /**
     * The HTTP service groups that call Assignr. Last of the group configurers, so after Boot's,
     * which sets each group's request factory from {@code spring.http.serviceclient.<group>.*}.
     */
    @Bean
    @ConditionalOnClass(RestClientHttpServiceGroupConfigurer.class)
    RestClientHttpServiceGroupConfigurer assignrServiceGroups(AssignrClientHttpRequestInterceptor interceptor,
        ObjectProvider<HttpClientSettings> settings, AssignrResilienceProperties properties, Environment environment) {
      Supplier<ClientHttpRequestFactory> factory = jdkFactory(settings);
      List<String> named = properties.getServiceGroups();
      boolean all = properties.getRestClient().isApplyToAll();
      return new RestClientHttpServiceGroupConfigurer() {
        @Override
        public void configureGroups(Groups<RestClient.Builder> groups) {
          groups.filter(group -> all || named.contains(group.name())).forEachClient((group, builder) -> {
            SharedConfiguration.assignrBuilder(builder, factory.get(), interceptor, properties, false);
            if (named.contains(group.name())) {
              namedGroupDefaults(group, environment, properties, interceptor.resilience(), builder::baseUrl,
                  value -> builder.defaultHeader(HttpHeaders.AUTHORIZATION, value));
            }
          });
        }

        @Override
        public int getOrder() {
          return Ordered.LOWEST_PRECEDENCE;
        }
      };
    }
  }

  /**
   * What a group named in {@code service-groups} gets besides the interceptor or the filter, whichever
   * client backs it: the base URL, unless {@code spring.http.serviceclient.<group>.base-url} gives it
   * its own, and the static token's {@code Authorization}.
   */
  static void namedGroupDefaults(HttpServiceGroup group, Environment environment, AssignrResilienceProperties properties,
      AssignrResilience resilience, Consumer<String> baseUrl, Consumer<String> authorization) {
    if (!environment.containsProperty("spring.http.serviceclient." + group.name() + ".base-url")) {
      baseUrl.accept(properties.getBaseUrl());
    }
    String token = SharedConfiguration.staticToken(properties, resilience);
    if (token != null) authorization.accept("Bearer " + token);
  }

  /**
   * The connector of every Assignr {@code WebClient}: Boot's, unless it is HttpClient 5's (see {@link
   * ConnectorChoice}); then the JDK's with Boot's {@code spring.http.clients.*} settings, no redirects.
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(WebClient.class)
  static class WebClientConnectorConfiguration {
    @Bean
    @ConditionalOnMissingBean
    ConnectorChoice assignrWebClientConnector(ObjectProvider<ClientHttpConnectorBuilder<?>> boot,
        ObjectProvider<HttpClientSettings> settings) {
      return new ConnectorChoice(boot.getIfAvailable(ClientHttpConnectorBuilder::detect), () -> ClientHttpConnectorBuilder.jdk()
          .build(settings.getIfAvailable(HttpClientSettings::defaults).withRedirects(HttpRedirects.DONT_FOLLOW)));
    }
  }

  /**
   * The {@code WebClient} side with WebFlux and Boot's WebClient module: {@code
   * web-client.apply-to-all} and the service groups backed by {@code WebClient}. The filter and the
   * {@code @AssignrWebClient} builder are {@link WebClientConfiguration}'s, shared with Boot 3.5.
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass({WebClient.class, WebClientCustomizer.class})
  static class WebClientGroupsConfiguration {
    @Bean
    @ConditionalOnBooleanProperty(name = "assignr.resilience.web-client.apply-to-all")
    @ConditionalOnMissingBean(name = "assignrWebClientCustomizer")
    FilterCustomizer assignrWebClientCustomizer(AssignrExchangeFilterFunction filter, ConnectorChoice connector,
        AssignrResilienceProperties properties) {
      return new FilterCustomizer(filter, connector, properties);
    }

    /**
     * The HTTP service groups backed by {@code WebClient} that call Assignr: the same choice of
     * groups, base URL and token as the {@code RestClient} ones; the connector stays Boot's. Last of
     * the group configurers, so after Boot's.
     */
    @Bean
    @ConditionalOnClass(WebClientHttpServiceGroupConfigurer.class)
    WebClientHttpServiceGroupConfigurer assignrWebClientServiceGroups(AssignrExchangeFilterFunction filter,
        ConnectorChoice connector, AssignrResilienceProperties properties, Environment environment) {
      List<String> named = properties.getServiceGroups();
      boolean all = properties.getWebClient().isApplyToAll();
      return new WebClientHttpServiceGroupConfigurer() {
        @Override
        public void configureGroups(Groups<WebClient.Builder> groups) {
          groups.filter(group -> all || named.contains(group.name())).forEachClient((group, builder) -> {
            WebClientConfiguration.assignrBuilder(builder, filter, connector, properties, false);
            if (named.contains(group.name())) {
              namedGroupDefaults(group, environment, properties, filter.resilience(), builder::baseUrl,
                  value -> builder.defaultHeader(HttpHeaders.AUTHORIZATION, value));
            }
          });
        }

        @Override
        public int getOrder() {
          return Ordered.LOWEST_PRECEDENCE;
        }
      };
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
     * (connect timeout, SSL bundle), as the Assignr clients', and never following redirects: a 307
     * would re-send the client secret to the redirect's host.
     */
    @Bean
    @ConditionalOnMissingBean
    Credentials assignrCredentials(AssignrResilienceProperties properties, ObjectProvider<TokenSource> own,
        ObjectProvider<HttpClientSettings> settings, ObjectProvider<TimeSource> timeSource) {
      return SharedConfiguration.credentials(properties, own, () -> new JdkHttpClientBuilder()
          .build(settings.getIfAvailable(HttpClientSettings::defaults).withRedirects(HttpRedirects.DONT_FOLLOW)), timeSource);
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
