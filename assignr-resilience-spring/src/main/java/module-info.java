/**
 * Spring's HTTP clients on assignr-resilience: a {@code ClientHttpRequestInterceptor} for {@code
 * RestClient} and {@code RestTemplate}, and an {@code ExchangeFilterFunction} for {@code WebClient}.
 * Start with {@link com.assignr.resilience.spring.AssignrClientHttpRequestInterceptor} or {@link
 * com.assignr.resilience.spring.AssignrExchangeFilterFunction}.
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic", "exports"})
module com.assignr.resilience.spring {
  requires transitive com.assignr.resilience;
  // The interceptor implements spring-web's interface. Not static although spring-web is a
  // provided dependency: the application brings it, and this module cannot run without it.
  requires transitive spring.web;
  // Only the WebClient filter needs these, and an application on RestClient has none of them: the
  // filter's class is then never loaded. An application on WebClient has them all, and requires
  // spring.webflux itself (it names WebClient); not transitive, or every module that reads this one
  // (the starters) would need WebFlux to compile.
  requires static spring.webflux;
  requires static reactor.core;
  requires static org.reactivestreams;
  requires static spring.core;

  // configure(...) puts clients on the JDK's HttpClient.
  requires java.net.http;
  requires org.slf4j;
  // The check for an HttpClient 5 that retries below the interceptor, when both are present.
  requires static com.assignr.resilience.httpclient5;
  requires static org.apache.httpcomponents.client5.httpclient5;

  exports com.assignr.resilience.spring;
}
