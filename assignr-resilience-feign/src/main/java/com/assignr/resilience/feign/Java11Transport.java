package com.assignr.resilience.feign;

import com.assignr.resilience.AssignrResilience;
import com.assignr.resilience.jdk.AssignrHttpClient;
import feign.Request;
import feign.http2client.Http2Client;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * feign-java11's {@link Http2Client} over {@link AssignrHttpClient}. Kept apart from {@link
 * AssignrCapability} so that an application on feign-okhttp never loads feign-java11.
 */
final class Java11Transport {
  private Java11Transport() {}

  static AssignrFeignClient create(HttpClient client, AssignrResilience resilience) {
    HttpClient decorated;
    if (client instanceof AssignrHttpClient wrapped) {
      if (wrapped.resilience() != resilience) {
        throw new IllegalArgumentException("client: an AssignrHttpClient wrapped with another "
            + "AssignrResilience (" + wrapped.resilience() + "); pass the client it wraps, or the "
            + "configuration it was wrapped with");
      }
      decorated = wrapped;
    } else {
      decorated = AssignrHttpClient.wrap(client, resilience); // refuses a client that follows redirects
    }
    // Http2Client uses the client it was given only while Feign's options name the client's own
    // connect timeout: with none, it builds a plain client for every request.
    Duration connect = decorated.connectTimeout().orElseThrow(() -> new IllegalArgumentException(
        "client: an HttpClient without a connectTimeout; feign-java11 sends through a plain "
            + "HttpClient of its own, bypassing the library, unless Feign's connect timeout equals "
            + "the client's: build it with HttpClient.newBuilder().connectTimeout(...)"));
    long connectMillis = connect.toMillis();
    if (connectMillis > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("client: connectTimeout " + connect + " is longer than "
          + "Feign's Request.Options can name (" + Integer.MAX_VALUE + " ms)");
    }
    return new AssignrFeignClient("feign-java11", new Http2Client(decorated),
        options -> new Request.Options(connectMillis, TimeUnit.MILLISECONDS,
            options.readTimeout(), options.readTimeoutUnit(), false));
  }
}
