/**
 * Spring Boot auto-configuration for assignr-resilience: properties, the {@code @AssignrRestClient}
 * and {@code @AssignrWebClient}
 * builders, Micrometer meters and an Actuator health indicator.
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module com.assignr.resilience.spring.boot {
  requires transitive com.assignr.resilience;
  requires transitive com.assignr.resilience.spring;
  requires com.assignr.resilience.micrometer;
  requires com.assignr.resilience.oauth;
  requires java.net.http;
  requires transitive spring.boot;
  requires transitive spring.boot.autoconfigure;
  requires spring.boot.restclient;
  requires spring.boot.http.client;
  requires spring.web;
  requires spring.context;
  requires spring.beans;
  requires spring.core;
  requires micrometer.core;
  requires org.slf4j;
  // Actuator's health support is optional: the indicator is configured only when it is present.
  requires static spring.boot.health;
  // WebClient is wired only when the application has WebFlux (and, on Boot 4, Boot's WebClient module).
  requires static spring.webflux;
  requires static spring.boot.webclient;
  // The Redis gate store is optional: configured only when it is present and redis.uri is set.
  requires static com.assignr.resilience.redis;
  requires static spring.security.oauth2.client;
  requires static spring.security.oauth2.core;

  exports com.assignr.resilience.spring.boot;
  // Spring creates the auto-configuration's beans and binds the properties reflectively.
  opens com.assignr.resilience.spring.boot to spring.core, spring.beans, spring.context, spring.boot;
  opens com.assignr.resilience.spring.boot.internal to spring.core, spring.beans, spring.context, spring.boot;
}
