package com.assignr.resilience.feign;

import com.assignr.resilience.AssignrResilience;
import com.assignr.resilience.okhttp.AssignrInterceptor;
import feign.Request;

/**
 * feign-okhttp over a client set up by {@link AssignrInterceptor#configure}. Kept apart from
 * {@link AssignrCapability} so that an application on feign-java11 never loads an OkHttp class.
 */
final class OkHttpTransport {
  private OkHttpTransport() {}

  static AssignrFeignClient create(okhttp3.OkHttpClient client, AssignrResilience resilience) {
    // configure() replaces any AssignrInterceptor already on the client with one for this
    // configuration, added last, and turns redirects off; newBuilder() shares the client's
    // connection pool and dispatcher.
    okhttp3.OkHttpClient configured = AssignrInterceptor.configure(client.newBuilder(), resilience).build();
    return new AssignrFeignClient("feign-okhttp", new feign.okhttp.OkHttpClient(configured),
        OkHttpTransport::options);
  }

  /**
   * Feign's timeouts as given (feign-okhttp applies them to a per-request copy of the client, which
   * keeps the interceptor), but never redirects: that copy would follow them again.
   */
  private static Request.Options options(Request.Options options) {
    if (!options.isFollowRedirects()) return options;
    return new Request.Options(options.connectTimeout(), options.connectTimeoutUnit(),
        options.readTimeout(), options.readTimeoutUnit(), false);
  }
}
