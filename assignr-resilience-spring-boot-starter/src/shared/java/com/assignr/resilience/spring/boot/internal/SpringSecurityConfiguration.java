package com.assignr.resilience.spring.boot.internal;

import com.assignr.resilience.TimeSource;
import com.assignr.resilience.spi.Authorizer;
import com.assignr.resilience.spring.boot.AssignrResilienceProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;

/**
 * Spring Security's OAuth2 client as the token source, imported by each line's auto-configuration:
 * when {@code spring-security-oauth2-client} is on the class path, the application has an {@link
 * OAuth2AuthorizedClientManager} bean, a client registration is configured ({@code
 * assignr.resilience.credentials.registration-id}, default {@code assignr}) and neither {@code
 * assignr.resilience.credentials.client-id} nor {@code token} is set. The client secret is then
 * configured once, under {@code spring.security.oauth2.client.registration.<id>.*}. An
 * application's own {@code Authorizer} (or {@code Credentials}) bean wins. Not for users.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(name = "org.springframework.security.oauth2.client.OAuth2AuthorizedClientManager")
@Conditional(SpringSecurityConfiguration.RegistrationCondition.class)
public class SpringSecurityConfiguration {
  static final String REGISTRATION_ID = "assignr.resilience.credentials.registration-id";

  /** Creates the configuration; Spring does. */
  public SpringSecurityConfiguration() {}

  @Bean
  @ConditionalOnBean(OAuth2AuthorizedClientManager.class)
  @ConditionalOnMissingBean(Authorizer.class)
  SpringSecurityAuthorizer assignrSpringSecurityAuthorizer(AssignrResilienceProperties properties,
      OAuth2AuthorizedClientManager manager, ObjectProvider<ClientRegistrationRepository> registrations,
      ObjectProvider<TimeSource> timeSource) {
    String id = properties.getCredentials().getRegistrationId();
    ClientRegistrationRepository repository = registrations.getIfUnique();
    ClientRegistration registration = repository == null ? null : repository.findByRegistrationId(id);
    if (registration == null) {
      throw new InvalidConfigurationPropertyValueException(REGISTRATION_ID, id,
          "Spring Security has no client registration '" + id + "' (spring.security.oauth2.client.registration."
              + id + ".*, or a ClientRegistrationRepository bean that has it)");
    }
    return new SpringSecurityAuthorizer(manager, id, registration.getClientId(),
        timeSource.getIfUnique(TimeSource::system));
  }

  /**
   * The registration is meant: {@code registration-id} is set, or the default registration {@code
   * assignr} has properties; and the library's own credentials properties are not set.
   */
  static final class RegistrationCondition implements Condition {
    @Override
    public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
      Environment env = context.getEnvironment();
      if (env.containsProperty("assignr.resilience.credentials.client-id")
          || env.containsProperty("assignr.resilience.credentials.token")) {
        return false;
      }
      String id = env.getProperty(REGISTRATION_ID);
      if (id != null) return true;
      return env.containsProperty("spring.security.oauth2.client.registration."
          + AssignrResilienceProperties.Credentials.DEFAULT_REGISTRATION_ID + ".client-id");
    }
  }
}
