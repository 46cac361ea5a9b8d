package com.assignr.resilience.spring.boot;

import static com.assignr.resilience.spring.boot.AutoConfigurationTest.messages;
import static org.assertj.core.api.Assertions.assertThat;

import com.assignr.resilience.AssignrResilience;
import com.assignr.resilience.RequestInfo;
import com.assignr.resilience.TimeSource;
import com.assignr.resilience.oauth.AccessToken;
import com.assignr.resilience.oauth.AssignrOAuth;
import com.assignr.resilience.oauth.Credentials;
import com.assignr.resilience.oauth.TokenSource;
import com.assignr.resilience.testkit.AssignrSimulator;
import com.assignr.resilience.testkit.JournalEntry;
import com.assignr.resilience.testkit.TokenRequest;
import com.assignr.resilience.testkit.VirtualTime;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.web.client.RestClient;

/** {@code assignr.resilience.credentials.*}: a static token, or an OAuth client the library manages. */
class CredentialsConfigurationTest {
  static final String SECRET = "s3cret-value-42";
  static final String CLIENT = "assignr.resilience.credentials.client-id=club-42";
  static final String CLIENT_SECRET = "assignr.resilience.credentials.client-secret=" + SECRET;

  final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(AssignrResilienceAutoConfiguration.class, RestClientAutoConfiguration.class));

  /** What these credentials' quota is named, computed by core for the same client id. */
  static String quotaOf(String clientId) {
    return AssignrOAuth.builder().tokenSource(TokenSource.fixed(AccessToken.bearer("x"))).clientId(clientId).build().quotaKey();
  }

  @Test
  void properties_bind_with_the_defaults_and_hide_the_secrets() {
    runner.withPropertyValues(CLIENT, CLIENT_SECRET).run(context -> {
      AssignrResilienceProperties.Credentials c = context.getBean(AssignrResilienceProperties.class).getCredentials();
      assertThat(c.getClientId()).isEqualTo("club-42");
      assertThat(c.getClientSecret()).isEqualTo(SECRET);
      assertThat(c.getScope()).isEqualTo("read write");
      assertThat(c.getTokenUri()).isEqualTo(AssignrOAuth.ASSIGNR_TOKEN_URI);
      assertThat(c.toString()).doesNotContain(SECRET).doesNotContain("club-42").contains("<hidden>");
    });
    runner.withPropertyValues(CLIENT, CLIENT_SECRET, "assignr.resilience.credentials.scope=read",
        "assignr.resilience.credentials.token-uri=https://auth.example.com/oauth/token").run(context -> {
          AssignrResilienceProperties.Credentials c = context.getBean(AssignrResilienceProperties.class).getCredentials();
          assertThat(c.getScope()).isEqualTo("read");
          assertThat(c.getTokenUri()).isEqualTo(URI.create("https://auth.example.com/oauth/token"));
        });
  }

  @Test
  void client_credentials_give_the_resilience_bean_managed_credentials_and_the_clients_quota() {
    runner.withPropertyValues(CLIENT, CLIENT_SECRET).run(context -> {
      assertThat(context).hasNotFailed().hasSingleBean(Credentials.class);
      AssignrResilience r = context.getBean(AssignrResilience.class);
      Credentials credentials = context.getBean(Credentials.class);
      assertThat(r.credentials()).isSameAs(credentials);
      assertThat(credentials.timeSource()).isSameAs(r.timeSource());
      assertThat(credentials.quotaKey()).startsWith("assignr-client#").isEqualTo(quotaOf("club-42"))
          .isNotEqualTo(quotaOf("club-43"));
      assertThat(r.quotaKey().keyFor(RequestInfo.of("GET", URI.create("https://api.assignr.com/api/v2/sites"), true), null))
          .isEqualTo(credentials.quotaKey());

      // A request that brings its own Authorization takes no managed token, and with managed
      // credentials its quota is the OAuth client's all the same.
      InMemoryCall.answer(r, "Bearer request-" + "own", 200, InMemoryCall.headers("170"));
      String health = context.getBean("assignrHealthIndicator", HealthIndicator.class).health().getDetails().toString();
      assertThat(health).contains(credentials.quotaKey()).doesNotContain(SECRET).doesNotContain("club-42");
      assertThat(r.toString()).doesNotContain(SECRET);
    });
  }

  @Test
  void the_marked_builder_sets_no_static_authorization_with_managed_credentials() {
    runner.withUserConfiguration(AutoConfigurationTest.Clients.class).withPropertyValues(CLIENT, CLIENT_SECRET)
        .run(context -> assertThat(defaultHeaders(context.getBean(AutoConfigurationTest.Builders.class).marked())
            .containsHeader(HttpHeaders.AUTHORIZATION)).isFalse());
    runner.withUserConfiguration(AutoConfigurationTest.Clients.class)
        .withPropertyValues("assignr.resilience.credentials.token=t0k3n").run(context -> {
          assertThat(context.getBean(AssignrResilience.class).credentials()).isNull();
          assertThat(defaultHeaders(context.getBean(AutoConfigurationTest.Builders.class).marked())
              .getFirst(HttpHeaders.AUTHORIZATION)).isEqualTo("Bearer t0k3n");
        });
  }

  @Test
  void a_time_source_bean_is_shared_by_the_resilience_bean_and_the_credentials() {
    VirtualTime time = VirtualTime.autoAdvancing();
    runner.withPropertyValues(CLIENT, CLIENT_SECRET).withBean(TimeSource.class, () -> time).run(context -> {
      assertThat(context.getBean(AssignrResilience.class).timeSource()).isSameAs(time);
      assertThat(context.getBean(Credentials.class).timeSource()).isSameAs(time);
    });
  }

  @Test
  void a_secret_without_a_client_id_fails_startup_naming_both() {
    runner.withPropertyValues(CLIENT_SECRET).run(context -> {
      assertThat(context).hasFailed();
      assertThat(messages(context.getStartupFailure()))
          .contains("assignr.resilience.credentials.client-secret is set but assignr.resilience.credentials.client-id is not")
          .doesNotContain(SECRET);
    });
  }

  @Test
  void a_client_id_without_a_secret_or_a_token_source_fails_startup_naming_the_secret() {
    runner.withPropertyValues(CLIENT).run(context -> {
      assertThat(context).hasFailed();
      assertThat(messages(context.getStartupFailure())).contains("assignr.resilience.credentials.client-secret")
          .contains("must be set with assignr.resilience.credentials.client-id");
    });
  }

  @Test
  void a_static_token_and_client_credentials_are_mutually_exclusive() {
    runner.withPropertyValues(CLIENT, CLIENT_SECRET, "assignr.resilience.credentials.token=t0k3n-value").run(context -> {
      assertThat(context).hasFailed();
      assertThat(messages(context.getStartupFailure()))
          .contains("assignr.resilience.credentials.token must not be set together with assignr.resilience.credentials.client-id")
          .doesNotContain(SECRET).doesNotContain("t0k3n-value");
    });
  }

  @Test
  void the_token_uri_must_be_https_unless_loopback_http_is_allowed() {
    runner.withPropertyValues(CLIENT, CLIENT_SECRET, "assignr.resilience.credentials.token-uri=http://auth.example.com/oauth/token",
        "assignr.resilience.allow-insecure-loopback=true").run(context -> {
          assertThat(context).hasFailed();
          assertThat(messages(context.getStartupFailure())).contains("assignr.resilience.credentials.token-uri must be https")
              .contains("assignr.resilience.allow-insecure-loopback").contains("http://auth.example.com/oauth/token")
              .doesNotContain(SECRET);
        });
    runner.withPropertyValues(CLIENT, CLIENT_SECRET, "assignr.resilience.credentials.token-uri=http://localhost:8089/oauth/token")
        .run(context -> assertThat(messages(context.getStartupFailure()))
            .contains("assignr.resilience.credentials.token-uri must be https"));
    runner.withPropertyValues(CLIENT, CLIENT_SECRET, "assignr.resilience.credentials.token-uri=http://localhost:8089/oauth/token",
        "assignr.resilience.allow-insecure-loopback=true").run(context -> assertThat(context).hasNotFailed()
            .hasSingleBean(Credentials.class));
  }

  @Test
  void a_token_uri_that_only_looks_like_loopback_is_refused_even_when_loopback_http_is_allowed() {
    for (String host : List.of("127.attacker.example", "127.0.0.1.evil", "localhost.")) {
      runner.withPropertyValues(CLIENT, CLIENT_SECRET, "assignr.resilience.credentials.token-uri=http://" + host + "/oauth/token",
          "assignr.resilience.allow-insecure-loopback=true").run(context -> {
            assertThat(context).hasFailed();
            assertThat(messages(context.getStartupFailure()))
                .contains("assignr.resilience.credentials.token-uri must be https").doesNotContain(SECRET);
          });
    }
    runner.withPropertyValues(CLIENT, CLIENT_SECRET, "assignr.resilience.credentials.token-uri=http://[::1]:8089/oauth/token",
        "assignr.resilience.allow-insecure-loopback=true").run(context -> assertThat(context).hasNotFailed());
  }

  @Test
  void a_blank_client_id_is_named_once_by_the_grants_rule() {
    runner.withPropertyValues("assignr.resilience.credentials.client-id= ", CLIENT_SECRET).run(context -> {
      assertThat(context).hasFailed();
      String messages = messages(context.getStartupFailure());
      assertThat(messages).contains("assignr.resilience.credentials.client-id must be set but was (blank)")
          .doesNotContain(SECRET);
      assertThat(messages.split("client-id must", -1)).hasSize(2);
    });
  }

  @Test
  void a_token_uri_with_a_query_or_user_info_and_a_blank_scope_are_refused_without_quoting_them() {
    runner.withPropertyValues(CLIENT, CLIENT_SECRET, "assignr.resilience.credentials.token-uri=https://me:pw-in-uri@auth.example.com/token?x=1",
        "assignr.resilience.credentials.scope= ").run(context -> {
          assertThat(context).hasFailed();
          assertThat(messages(context.getStartupFailure()))
              .contains("assignr.resilience.credentials.token-uri must have no user info, query or fragment")
              .contains("assignr.resilience.credentials.scope must not be blank")
              .doesNotContain("pw-in-uri").doesNotContain(SECRET);
        });
  }

  @Test
  void an_applications_token_source_replaces_the_grant_and_the_client_id_alone_names_the_quota() {
    TokenSource own = TokenSource.fixed(AccessToken.bearer("from-the-vault", Duration.ofHours(1)));
    runner.withPropertyValues(CLIENT).withBean(TokenSource.class, () -> own).run(context -> {
      assertThat(context).hasNotFailed().hasSingleBean(TokenSource.class);
      Credentials credentials = context.getBean(Credentials.class);
      assertThat(context.getBean(AssignrResilience.class).credentials()).isSameAs(credentials);
      assertThat(credentials.quotaKey()).isEqualTo(quotaOf("club-42"));
      assertThat(credentials.authorization(Duration.ofSeconds(5).toNanos())).isEqualTo("Bearer from-the-vault");
    });
  }

  @Test
  void with_a_meter_registry_the_token_refreshes_are_counted() {
    TokenSource own = TokenSource.fixed(AccessToken.bearer("from-the-vault", Duration.ofHours(1)));
    runner.withPropertyValues(CLIENT).withBean(TokenSource.class, () -> own)
        .withBean(io.micrometer.core.instrument.MeterRegistry.class, io.micrometer.core.instrument.simple.SimpleMeterRegistry::new)
        .run(context -> {
          assertThat(context).hasNotFailed();
          context.getBean(Credentials.class).authorization(Duration.ofSeconds(5).toNanos());
          var registry = context.getBean(io.micrometer.core.instrument.MeterRegistry.class);
          var refreshes = registry.find(com.assignr.resilience.micrometer.AssignrMetrics.TOKEN_REFRESHES)
              .tags("result", "success").counter();
          assertThat(refreshes).as("assignr.token.refreshes{result=success}").isNotNull();
          assertThat(refreshes.count()).isEqualTo(1.0);
        });
  }

  @Test
  void an_applications_credentials_are_used_without_any_property_and_the_grant_backs_off() {
    AtomicInteger fetches = new AtomicInteger();
    TimeSource time = VirtualTime.autoAdvancing();
    Credentials own = AssignrOAuth.builder().tokenSource(() -> {
      fetches.incrementAndGet();
      return java.util.concurrent.CompletableFuture.completedFuture(AccessToken.bearer("own", Duration.ofHours(1)));
    }).clientId("own-client").timeSource(time).build();
    runner.withBean(Credentials.class, () -> own).run(context -> {
      assertThat(context).hasNotFailed().doesNotHaveBean(TokenSource.class);
      AssignrResilience r = context.getBean(AssignrResilience.class);
      assertThat(r.credentials()).isSameAs(own);
      assertThat(r.timeSource()).as("core requires the credentials' time source").isSameAs(time);
      assertThat(r.quotaKey().keyFor(RequestInfo.of("GET", URI.create("https://api.assignr.com/"), true), null))
          .isEqualTo(quotaOf("own-client"));
      assertThat(fetches).as("no token fetched at startup").hasValue(0);
    });
    runner.withPropertyValues(CLIENT, CLIENT_SECRET).withBean(Credentials.class, () -> own).run(context -> {
      assertThat(context).hasNotFailed().doesNotHaveBean(TokenSource.class).hasSingleBean(Credentials.class);
      assertThat(context.getBean(AssignrResilience.class).credentials()).isSameAs(own);
    });
  }

  @Test
  void a_static_token_with_an_applications_credentials_fails_where_the_builder_would_send_it() {
    Credentials own = AssignrOAuth.builder().tokenSource(TokenSource.fixed(AccessToken.bearer("own"))).clientId("own").build();
    runner.withUserConfiguration(AutoConfigurationTest.Clients.class).withBean(Credentials.class, () -> own)
        .withPropertyValues("assignr.resilience.credentials.token=t0k3n-value").run(context -> {
          assertThat(context).hasFailed();
          assertThat(messages(context.getStartupFailure())).contains("assignr.resilience.credentials.token")
              .contains("must not be set when the AssignrResilience bean has managed credentials").doesNotContain("t0k3n-value");
        });
  }

  @Test
  void an_applications_resilience_bean_is_left_as_it_is() {
    AssignrResilience own = AssignrResilience.builder().build();
    runner.withPropertyValues(CLIENT, CLIENT_SECRET).withBean(AssignrResilience.class, () -> own).run(context -> {
      assertThat(context.getBean(AssignrResilience.class)).isSameAs(own);
      assertThat(own.credentials()).isNull();
      assertThat(context).hasSingleBean(Credentials.class);
    });
  }

  @Test
  void end_to_end_the_library_fetches_a_token_and_renews_it_after_expiry() {
    try (AssignrSimulator sim = AssignrSimulator.builder().oauthClient("club-42", "s3cret").requireIssuedTokens(true).start()) {
      runner.withUserConfiguration(Api.class).withPropertyValues(
          "assignr.resilience.base-url=" + sim.httpBaseUrl(),
          "assignr.resilience.allow-insecure-loopback=true", // the simulator is plain HTTP on loopback
          "assignr.resilience.credentials.client-id=club-42",
          "assignr.resilience.credentials.client-secret=s3cret",
          "assignr.resilience.credentials.token-uri=" + sim.httpTokenUri()).run(context -> {
            assertThat(context).hasNotFailed();
            RestClient api = context.getBean(RestClient.class);
            assertThat(sim.tokenRequests()).as("no token before the first call").isEmpty();

            assertThat(api.get().uri("/sites/1/games").retrieve().toBodilessEntity().getStatusCode().value()).isEqualTo(200);
            assertThat(sim.tokenRequests()).hasSize(1).first().satisfies(t -> {
              assertThat(t.clientId()).isEqualTo("club-42");
              assertThat(t.secretPresent()).isTrue();
              assertThat(t.grantType()).isEqualTo("client_credentials");
              assertThat(t.scope()).isEqualTo("read write");
              assertThat(t.status()).isEqualTo(200);
            });

            assertThat(sim.expireAllTokens()).isEqualTo(1);
            assertThat(api.get().uri("/sites/1/games").retrieve().toBodilessEntity().getStatusCode().value()).isEqualTo(200);
            assertThat(sim.tokenRequests()).hasSize(2).extracting(TokenRequest::status).containsExactly(200, 200);
            assertThat(sim.journal().entries("GET", "/api/v2/sites/1/games")).extracting(JournalEntry::status)
                .containsExactly(200, 401, 200);
            assertThat(sim.journal().entries("GET", "/api/v2/sites/1/games")).allMatch(JournalEntry::authorizationPresent);
          });
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class Api {
    @Bean RestClient assignr(@AssignrRestClient RestClient.Builder builder) {
      return builder.build();
    }
  }

  static HttpHeaders defaultHeaders(RestClient.Builder builder) {
    HttpHeaders seen = new HttpHeaders();
    builder.defaultHeaders(seen::addAll);
    return seen;
  }
}
