/**
 * Spring's HTTP clients on assignr-resilience: a {@code ClientHttpRequestInterceptor} for {@code
 * RestClient} and {@code RestTemplate}, and an {@code ExchangeFilterFunction} for {@code WebClient}.
 * Start with {@link com.assignr.resilience.spring.AssignrClientHttpRequestInterceptor} or {@link
 * com.assignr.resilience.spring.AssignrExchangeFilterFunction}.
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module com.assignr.resilience.spring {
  requires transitive com.assignr.resilience;
  // The interceptor implements spring-web's interface. Not static although spring-web is a
  // provided dependency: the application brings it, and this module cannot run without it.
  requires transitive spring.web;
  // Only the WebClient filter needs these, and an application on RestClient has none of them: the
  // filter's class is then never loaded. An application on WebClient has them all.
  requires static transitive spring.webflux;
  requires static transitive reactor.core;
  requires static org.reactivestreams;
  requires static spring.core;

  exports com.assignr.resilience.spring;
}
