package com.assignr.resilience.httpclient5;

import com.assignr.resilience.AssignrResilience;
import com.assignr.resilience.httpclient5.internal.AssignrExecHandler;
import com.assignr.resilience.httpclient5.internal.Hc5Chains;
import java.util.Objects;
import org.apache.hc.client5.http.classic.HttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;

/**
 * Makes every call of an Apache HttpClient 5 classic client to Assignr obey its rate limits and
 * error rules, as configured by one {@link AssignrResilience}, from inside HttpClient's exec chain.
 *
 * <pre>{@code
 * CloseableHttpClient client = AssignrHttpClient5.configure(HttpClients.custom(), resilience).build();
 *
 * // Spring's RestClient or RestTemplate on it (no Assignr interceptor on top: it would retry too)
 * RestClient assignr = RestClient.builder()
 *     .requestFactory(new HttpComponentsClientHttpRequestFactory(client))
 *     .baseUrl("https://api.assignr.com/api/v2")
 *     .build();
 * }</pre>
 *
 * <p>{@link #configure} turns off what HttpClient would otherwise do on its own below any
 * interceptor: its automatic retries ({@code DefaultHttpRequestRetryStrategy} resends every 429 and
 * 503, POSTs included, about a second later, and an I/O failure of an idempotent request), and its
 * redirect following (a 301/302/303 to a POST is followed by a GET). It then adds the library as
 * the first element of the exec chain, so that each attempt the library makes is exactly one
 * exchange on the wire. For each call it:
 *
 * <ul>
 *   <li>adds {@code Accept: application/vnd.assignr.v2.hal+json} unless the request has an {@code
 *       Accept}, and on a POST (with or without an entity) that has no {@code Content-Type} and
 *       whose entity has no content type, {@link AssignrResilience#writeContentType()} (an
 *       entity's own content type is what HttpClient sends); the same rule as every adapter's;
 *   <li>refuses plain {@code http://} before anything is sent ({@link
 *       com.assignr.resilience.InsecureRequestException}; loopback only when allowed);
 *   <li>passes every attempt through the shared rate-limit gate of the request's host and {@code
 *       Authorization} header, and retries as core's engine decides (429 after the window resets,
 *       503 with backoff for every method, 5xx and I/O failures for idempotent methods only, a
 *       connection never established for every method: a connect timeout or a pooled connection
 *       that never came counts as one);
 *   <li>closes each response it will not return before the next attempt (its connection goes back
 *       to the pool), and never closes the one it returns;
 *   <li>sends a request entity again only when it can: a repeatable one ({@code StringEntity},
 *       {@code ByteArrayEntity}, {@code FileEntity}…), or one that is not (an {@code
 *       InputStreamEntity}, a Spring streaming body) of at most {@link
 *       HttpClient5Options#replayCopyLimit()} bytes (1 MiB by default), copied before the call
 *       starts; a larger one is sent once;
 *   <li>treats {@code HttpUriRequestBase.cancel()} and an interrupt of the calling thread as final:
 *       a wait ends promptly with an {@link java.io.InterruptedIOException} and nothing more is
 *       sent;
 *   <li>gives up at once rather than wait past the policy's {@code totalTimeout} (HttpClient has no
 *       deadline of its own for a call), and cuts each attempt's timeouts in the call's {@code
 *       RequestConfig} (the wait for a pooled connection; the connect and response timeouts where
 *       the configuration sets them) to the time left.
 * </ul>
 *
 * <p>It returns the final response (a success, or the last failure), unless {@link
 * AssignrResilience#throwOnFailure()} asks for typed {@link com.assignr.resilience.AssignrException}s,
 * which {@code execute} throws as they are (they are {@code IOException}s).
 *
 * <p>Headers HttpClient adds below the chain's first element, per attempt ({@code
 * setDefaultHeaders}, request interceptors), are not seen by the library: a token set there is not
 * part of the quota key (name the quota with {@code QuotaKey.fixed(...)}), and a default {@code
 * Accept} gives way to Assignr's, which the request already carries when defaults are applied. An exec interceptor added
 * with {@code addExecInterceptorFirst} after {@code configure} runs above the library, once per
 * call. Waits hold the calling thread. The async client ({@code HttpAsyncClientBuilder}) is not
 * covered.
 */
public final class AssignrHttpClient5 {
  private AssignrHttpClient5() {}

  /**
   * Configures {@code builder} for Assignr with the default {@link HttpClient5Options}: see the
   * class comment. Call it once per builder; clients built with one {@code resilience} share its
   * rate-limit gates.
   *
   * <pre>{@code
   * CloseableHttpClient client = AssignrHttpClient5.configure(HttpClients.custom()
   *         .setConnectionManager(yourPool), resilience)
   *     .build();
   * }</pre>
   *
   * @param builder the builder of the client that will call Assignr ({@code HttpClients.custom()},
   *     or one Spring Boot hands to an {@code HttpClientBuilder} customizer)
   * @param resilience the configuration
   * @param <B> the builder's type
   * @return {@code builder}
   */
  public static <B extends HttpClientBuilder> B configure(B builder, AssignrResilience resilience) {
    return configure(builder, resilience, HttpClient5Options.defaults());
  }

  /**
   * Configures {@code builder} for Assignr: turns off HttpClient's automatic retries ({@code
   * disableAutomaticRetries()}) and redirect handling ({@code disableRedirectHandling()}), neither
   * of which can be turned back on, and adds the library first in the exec chain. Call it once per
   * builder: a client whose chain has the library twice fails its first call, before anything is
   * sent, with an {@link IllegalStateException}.
   *
   * @param builder the builder of the client that will call Assignr
   * @param resilience the configuration
   * @param options what only HttpClient's chain sees
   * @param <B> the builder's type
   * @return {@code builder}
   */
  public static <B extends HttpClientBuilder> B configure(B builder, AssignrResilience resilience,
      HttpClient5Options options) {
    Objects.requireNonNull(builder, "builder");
    Objects.requireNonNull(resilience, "resilience");
    Objects.requireNonNull(options, "options");
    builder.disableAutomaticRetries();
    builder.disableRedirectHandling();
    builder.addExecInterceptorFirst(AssignrExecHandler.NAME,
        new AssignrExecHandler(resilience, options.replayCopyLimit()));
    return builder;
  }

  /**
   * Whether {@code client} resends requests on its own: HttpClient's {@code HttpRequestRetryExec}
   * is in its exec chain, as in every client its builder makes unless {@code
   * disableAutomaticRetries()} was called ({@code HttpClients.createDefault()}, {@code
   * HttpClients.custom().build()}, Spring's {@code new HttpComponentsClientHttpRequestFactory()}).
   * Such a client under an Assignr interceptor resends every 429 and 503 below it. For a check at
   * startup; it reads HttpClient's private fields.
   *
   * @param client a client
   * @return true when the client is one HttpClient's builder made and retries on its own; false
   *     when it does not, or when that cannot be told (another implementation)
   */
  public static boolean retriesOnItsOwn(HttpClient client) {
    return Hc5Chains.retriesOnItsOwn(client);
  }

  /**
   * Whether {@code client} was built by a builder given to {@link #configure} (once): the library
   * is in its exec chain, and neither HttpClient's retries nor its redirect handling is. Such a
   * client needs no Assignr interceptor on top (one would retry every call again).
   *
   * @param client a client
   * @return true when configured; false when not, or when that cannot be told
   */
  public static boolean isConfigured(HttpClient client) {
    return Hc5Chains.isConfigured(client);
  }
}
