/**
 * Assignr-correct retries, rate limiting and error handling for any Java HTTP client: the engine,
 * the shared rate-limit gate, the generic executor, typed exceptions and the Resilience4j
 * integration. Start with {@link com.assignr.resilience.AssignrResilience}.
 */
// "module": the qualified export below names siblings that are not built yet when core compiles.
// "requires-*automatic": Resilience4j 2.x ships automatic modules with stable Automatic-Module-Names.
@SuppressWarnings({"module", "requires-automatic", "requires-transitive-automatic"})
module com.assignr.resilience {
  // Slf4jRetryListener.create(Logger) is API.
  requires transitive org.slf4j;
  // AssignrResilience.Builder.circuitBreaker(CircuitBreaker) is API.
  requires transitive io.github.resilience4j.circuitbreaker;
  requires io.github.resilience4j.core;
  // Optional, as resilience4j-retry is an optional dependency: only Resilience4jRetries needs it.
  // Not transitive, or every module that reads this one would need it to compile; a caller of
  // Resilience4jRetries.retryConfig(...) has it and requires it anyway.
  requires static io.github.resilience4j.retry;

  // The user's vocabulary: configuration, listeners, errors and what they carry.
  exports com.assignr.resilience;
  // What adapter and store authors implement or call: the executor, attempts, response adapters,
  // the rate-limit gate and its store.
  exports com.assignr.resilience.spi;
  // Implementation shared with the sibling modules only, as okhttp3.internal is shared with
  // OkHttp's own siblings: the rules they apply too (Checks, Hosts, DefaultHeaders, Backoff) have
  // one owner here (the OAuth module's token cache uses Backoff and Deadline). A new sibling that needs it is added here.
  exports com.assignr.resilience.internal to
      com.assignr.resilience.okhttp,
      com.assignr.resilience.jdk,
      com.assignr.resilience.httpclient5,
      com.assignr.resilience.feign,
      com.assignr.resilience.spring,
      com.assignr.resilience.micrometer,
      com.assignr.resilience.spring.boot,
      com.assignr.resilience.redis,
      com.assignr.resilience.oauth;
}
