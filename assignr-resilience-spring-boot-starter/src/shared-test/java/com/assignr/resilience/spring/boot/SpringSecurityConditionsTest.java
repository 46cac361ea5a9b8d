package com.assignr.resilience.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import com.assignr.resilience.AssignrResilience;
import com.assignr.resilience.oauth.Credentials;
import com.assignr.resilience.spi.Authorizer;
import com.assignr.resilience.spring.boot.internal.SpringSecurityAuthorizer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.registration.InMemoryClientRegistrationRepository;
import org.springframework.security.oauth2.core.AuthorizationGrantType;

/**
 * When the starter takes Spring Security's registration, and when it keeps to {@code
 * assignr.resilience.credentials.*} (both Boot lines). Nothing here sends a token request: the
 * manager is never asked; {@code SpringSecurityBootTest} runs the real thing.
 */
class SpringSecurityConditionsTest {
  static final String SECRET = "registration-secret";
  static final String REGISTRATION = "spring.security.oauth2.client.registration.assignr.client-id=club-7";

  final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(AssignrResilienceAutoConfiguration.class));

  @Configuration(proxyBeanMethods = false)
  static class SecurityBeans {
    @Bean
    ClientRegistrationRepository clientRegistrationRepository() {
      return new InMemoryClientRegistrationRepository(registration("assignr", "club-7"), registration("other", "club-8"));
    }

    @Bean
    OAuth2AuthorizedClientManager authorizedClientManager() {
      return request -> {
        throw new AssertionError("not asked in these tests");
      };
    }

    static ClientRegistration registration(String id, String clientId) {
      return ClientRegistration.withRegistrationId(id).clientId(clientId).clientSecret(SECRET)
          .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS).tokenUri("https://example.test/oauth/token")
          .build();
    }
  }

  @Test
  void the_assignr_registration_and_a_manager_make_the_authorizer() {
    runner.withUserConfiguration(SecurityBeans.class).withPropertyValues(REGISTRATION).run(context -> {
      assertThat(context).hasNotFailed().hasSingleBean(SpringSecurityAuthorizer.class).doesNotHaveBean(Credentials.class);
      assertThat(context.getBean(AssignrResilience.class).credentials()).isSameAs(context.getBean(Authorizer.class));
    });
  }

  @Test
  void registration_id_chooses_another_registration_and_names_the_quota_after_its_client() {
    runner.withUserConfiguration(SecurityBeans.class)
        .withPropertyValues("assignr.resilience.credentials.registration-id=other").run(context -> {
          Authorizer authorizer = context.getBean(Authorizer.class);
          assertThat(authorizer).isInstanceOf(SpringSecurityAuthorizer.class);
          assertThat(authorizer.quotaKey()).startsWith("assignr-client#").doesNotContain("club-8");
          assertThat(authorizer.toString()).contains("other").doesNotContain(SECRET);
        });
  }

  @Test
  void a_missing_registration_stops_startup_naming_the_property() {
    runner.withUserConfiguration(SecurityBeans.class)
        .withPropertyValues("assignr.resilience.credentials.registration-id=nope").run(context -> {
          assertThat(context).hasFailed();
          assertThat(RedisConfigurationTest.messages(context.getStartupFailure()))
              .contains("assignr.resilience.credentials.registration-id").contains("nope").doesNotContain(SECRET);
        });
  }

  @Test
  void the_librarys_own_client_properties_win_over_the_registration() {
    runner.withUserConfiguration(SecurityBeans.class).withPropertyValues(REGISTRATION,
        "assignr.resilience.credentials.client-id=own", "assignr.resilience.credentials.client-secret=own-secret")
        .run(context -> {
          assertThat(context).hasNotFailed().doesNotHaveBean(SpringSecurityAuthorizer.class).hasSingleBean(Credentials.class);
        });
  }

  @Test
  void without_a_manager_bean_there_is_no_authorizer() {
    runner.withPropertyValues(REGISTRATION).run(context ->
        assertThat(context).hasNotFailed().doesNotHaveBean(Authorizer.class));
  }

  @Test
  void without_spring_security_the_client_properties_keep_working() {
    runner.withClassLoader(new FilteredClassLoader("org.springframework.security"))
        .withPropertyValues(REGISTRATION, "assignr.resilience.credentials.client-id=own",
            "assignr.resilience.credentials.client-secret=own-secret")
        .run(context -> {
          assertThat(context).hasNotFailed().hasSingleBean(Credentials.class).doesNotHaveBean(SpringSecurityAuthorizer.class);
          assertThat(context.getBean(AssignrResilience.class).credentials()).isSameAs(context.getBean(Credentials.class));
        });
  }
}
