/**
 * A Spring {@code ClientHttpRequestInterceptor} for {@code RestClient} and {@code RestTemplate}.
 * Start with {@link com.assignr.resilience.spring.AssignrClientHttpRequestInterceptor}.
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module com.assignr.resilience.spring {
  requires transitive com.assignr.resilience;
  // The interceptor implements spring-web's interface. Not static although spring-web is a
  // provided dependency: the application brings it, and this module cannot run without it.
  requires transitive spring.web;

  // configure(...) puts clients on the JDK's HttpClient.
  requires java.net.http;
  requires org.slf4j;
  // The check for an HttpClient 5 that retries below the interceptor, when both are present.
  requires static com.assignr.resilience.httpclient5;
  requires static org.apache.httpcomponents.client5.httpclient5;

  exports com.assignr.resilience.spring;
}
