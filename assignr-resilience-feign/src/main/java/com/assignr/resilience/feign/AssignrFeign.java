package com.assignr.resilience.feign;

import com.assignr.resilience.AssignrException;
import com.assignr.resilience.AssignrResilience;
import java.net.http.HttpClient;
import java.util.Objects;
import java.util.Optional;

/**
 * Makes the {@link AssignrCapability} that puts assignr-resilience under a Feign client, over the
 * transport of your choice:
 *
 * <pre>{@code
 * Assignr api = Feign.builder()
 *     .addCapability(AssignrFeign.okHttp(new OkHttpClient.Builder()
 *         .addInterceptor(yourAuthorizationInterceptor).build(), resilience))
 *     .decoder(yourDecoder)
 *     .target(Assignr.class, "https://api.assignr.com/api/v2");
 *
 * Assignr overJdk = Feign.builder()
 *     .addCapability(AssignrFeign.java11(HttpClient.newBuilder()
 *         .connectTimeout(Duration.ofSeconds(10)).build(), resilience))
 *     .requestInterceptor(yourAuthorizationInterceptor)
 *     .target(Assignr.class, "https://api.assignr.com/api/v2");
 * }</pre>
 *
 * <p>Each transport is needed only by the method that names it: feign-okhttp (and OkHttp) for
 * {@link #okHttp}, feign-java11 for {@link #java11}. On the module path an application requires
 * the one it uses besides this module: {@code feign.okhttp} and {@code
 * com.assignr.resilience.okhttp}, or {@code feign.java11}.
 */
public final class AssignrFeign {
  private AssignrFeign() {}

  /**
   * Feign over OkHttp (feign-okhttp), through {@code AssignrInterceptor}: a copy of {@code client}
   * is configured with {@code AssignrInterceptor.configure} (the interceptor added last among the
   * application interceptors, after yours that set {@code Authorization}; redirects off; any
   * {@code AssignrInterceptor} already there replaced). The copy shares {@code client}'s
   * connection pool and dispatcher. Feign's {@code Request.Options} timeouts apply as
   * feign-okhttp applies them; the call timeout of {@code client} is the deadline of each call,
   * waits included.
   *
   * @param client the OkHttp client to send with, as you configured it
   * @param resilience the configuration; everything built from one instance shares its gates
   * @return the capability
   * @throws IllegalStateException when feign-okhttp or the OkHttp adapter is not on the class path
   *     (or, on the module path, not required by the application)
   */
  public static AssignrCapability okHttp(okhttp3.OkHttpClient client, AssignrResilience resilience) {
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(resilience, "resilience");
    try {
      return new AssignrCapability(resilience, OkHttpTransport.create(client, resilience));
    } catch (NoClassDefFoundError e) {
      throw new IllegalStateException("AssignrFeign.okHttp needs io.github.openfeign:feign-okhttp "
          + "and com.assignr.resilience:assignr-resilience-okhttp (modules feign.okhttp and "
          + "com.assignr.resilience.okhttp): " + e.getMessage(), e);
    }
  }

  /**
   * Feign over {@code java.net.http} (feign-java11's {@code Http2Client}), through {@code
   * AssignrHttpClient}: {@code client} is wrapped with {@code AssignrHttpClient.wrap} (an {@code
   * AssignrHttpClient} of {@code resilience} is used as it is). The client's connect timeout
   * replaces Feign's, which is what keeps {@code Http2Client} on it; Feign's read timeout becomes
   * each request's {@code HttpRequest.timeout()}, which the decorator takes as the deadline of the
   * whole call, waits included.
   *
   * @param client the JDK client to send with: with a connect timeout, and not following redirects
   *     ({@code Redirect.NEVER}, the JDK's default)
   * @param resilience the configuration; everything built from one instance shares its gates
   * @return the capability
   * @throws IllegalArgumentException when {@code client} has no connect timeout (feign-java11 would
   *     send through a plain client of its own), follows redirects, or is an {@code
   *     AssignrHttpClient} of another configuration
   * @throws IllegalStateException when feign-java11 is not on the class path (or, on the module
   *     path, not required by the application)
   */
  public static AssignrCapability java11(HttpClient client, AssignrResilience resilience) {
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(resilience, "resilience");
    try {
      return new AssignrCapability(resilience, Java11Transport.create(client, resilience));
    } catch (NoClassDefFoundError e) {
      throw new IllegalStateException("AssignrFeign.java11 needs io.github.openfeign:feign-java11 "
          + "(module feign.java11): " + e.getMessage(), e);
    }
  }

  /**
   * The library's typed exception in a Feign failure: {@code thrown} itself, or the first of its
   * causes that is one ({@link AssignrFeignException}'s, or a {@code RetryableException}'s from a
   * client built without this capability).
   *
   * @param thrown what the Feign call threw
   * @return the first {@link AssignrException} among {@code thrown} and its causes
   */
  public static Optional<AssignrException> assignrException(Throwable thrown) {
    Throwable t = thrown;
    for (int depth = 0; t != null && depth < 32; depth++, t = t.getCause()) { // a cycle ends too
      if (t instanceof AssignrException library) return Optional.of(library);
    }
    return Optional.empty();
  }

}
