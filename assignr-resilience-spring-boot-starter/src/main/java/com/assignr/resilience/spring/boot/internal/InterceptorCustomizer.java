package com.assignr.resilience.spring.boot.internal;

import com.assignr.resilience.spring.AssignrClientHttpRequestInterceptor;
import com.assignr.resilience.spring.boot.AssignrResilienceProperties;
import java.util.function.Supplier;
import org.springframework.boot.restclient.RestClientCustomizer;
import org.springframework.boot.restclient.RestTemplateCustomizer;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestTemplate;

/**
 * {@code rest-client.apply-to-all}: every builder and template Boot makes gets the interceptor, once,
 * and the JDK request factory of {@code factory}, whose client neither retries nor follows redirects
 * on its own (Boot's default, Apache HttpClient 5 when it is on the classpath, resends 429 and 503
 * below the interceptor). Boot applies customizers after it sets its own factory. Not for users.
 */
public final class InterceptorCustomizer implements RestClientCustomizer, RestTemplateCustomizer {
  private final AssignrClientHttpRequestInterceptor interceptor;
  private final Supplier<ClientHttpRequestFactory> factory;
  private final AssignrResilienceProperties properties;

  public InterceptorCustomizer(AssignrClientHttpRequestInterceptor interceptor, Supplier<ClientHttpRequestFactory> factory,
      AssignrResilienceProperties properties) {
    this.interceptor = interceptor;
    this.factory = factory;
    this.properties = properties;
  }

  @Override
  public void customize(RestClient.Builder builder) {
    SharedConfiguration.assignrBuilder(builder, factory.get(), interceptor, properties, false);
  }

  @Override
  public void customize(RestTemplate template) {
    template.setRequestFactory(factory.get());
    if (!template.getInterceptors().contains(interceptor)) template.getInterceptors().add(interceptor);
  }
}
