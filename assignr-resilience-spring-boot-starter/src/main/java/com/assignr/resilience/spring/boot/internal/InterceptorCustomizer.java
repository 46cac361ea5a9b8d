package com.assignr.resilience.spring.boot.internal;

import com.assignr.resilience.spring.AssignrClientHttpRequestInterceptor;
import org.springframework.boot.restclient.RestClientCustomizer;
import org.springframework.web.client.RestClient;

/** Adds the interceptor to a builder once, however often it is applied. Not for users. */
public final class InterceptorCustomizer implements RestClientCustomizer {
  private final AssignrClientHttpRequestInterceptor interceptor;

  public InterceptorCustomizer(AssignrClientHttpRequestInterceptor interceptor) {
    this.interceptor = interceptor;
  }

  @Override
  public void customize(RestClient.Builder builder) {
    builder.requestInterceptors(list -> {
      if (!list.contains(interceptor)) list.add(interceptor);
    });
  }
}
