package com.assignr.resilience.spring.internal;

import com.assignr.resilience.httpclient5.AssignrHttpClient5;
import org.apache.hc.client5.http.classic.HttpClient;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.http.client.HttpComponentsClientHttpRequestFactory;

/** The HttpClient 5 half of {@link StackCheck}, loaded only when HttpClient 5 and its adapter are present. */
final class Hc5Check {
  private Hc5Check() {}

  static String problem(ClientHttpRequestFactory factory) {
    HttpClient client = ((HttpComponentsClientHttpRequestFactory) factory).getHttpClient();
    if (AssignrHttpClient5.isConfigured(client)) {
      return "AssignrClientHttpRequestInterceptor is above an Apache HttpClient 5 client that AssignrHttpClient5.configure"
          + " already set up: every call is retried by both. Remove the interceptor from this client.";
    }
    if (AssignrHttpClient5.retriesOnItsOwn(client)) {
      return "AssignrClientHttpRequestInterceptor is above an Apache HttpClient 5 client that retries on its own: it"
          + " resends 429 and 503 (POSTs included) about 1 s later, below the library, into the rate-limit window and"
          + " off its schedule. Fix: build the client with AssignrClientHttpRequestInterceptor.configure(builder,"
          + " resilience) (the JDK's HttpClient), or put HttpClient 5 under AssignrHttpClient5.configure(HttpClients.custom(),"
          + " resilience) and drop this interceptor.";
    }
    return null;
  }
}
