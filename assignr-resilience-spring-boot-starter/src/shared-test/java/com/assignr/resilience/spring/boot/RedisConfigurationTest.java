package com.assignr.resilience.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import com.assignr.resilience.AssignrResilience;
import com.assignr.resilience.GateState;
import com.assignr.resilience.spi.GateStore;
import com.assignr.resilience.spi.RateLimitGate;
import com.assignr.resilience.RequestInfo;
import com.assignr.resilience.redis.RedisGateStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import redis.embedded.RedisServer;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * {@code assignr.resilience.redis.*}: the fleet-wide gate store (run by both starters; Boot's health
 * types, which differ per line, are read through {@code TestLine}). Most tests point it at a
 * loopback port nothing listens on, which it must survive (its gates degrade to local ones, and
 * the health indicator says so while staying UP); one runs a real redis-server.
 */
class RedisConfigurationTest {
  static final String PASSWORD = "r3dis-pa55word";
  static final String QUOTA = "assignr.resilience.quota-key=assignr:club-42";
  static final String FAST = "assignr.resilience.redis.connect-timeout=200ms";

  final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(AssignrResilienceAutoConfiguration.class));

  /** A Redis URI, with a password, to a loopback port that was free a moment ago (connections are refused). */
  static String nobodyListening() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return "redis://:" + PASSWORD + "@127.0.0.1:" + socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void without_the_uri_there_is_no_store_and_the_gates_are_local() {
    runner.run(context -> {
      assertThat(context).hasNotFailed().doesNotHaveBean(GateStore.class);
      assertThat(context.getBean(AssignrResilience.class).gateStore()).isNotInstanceOf(RedisGateStore.class);
    });
  }

  @Test
  void the_uri_configures_the_store_that_the_resilience_bean_uses_and_closes_it_with_the_context() {
    runner.withPropertyValues("assignr.resilience.redis.uri=" + nobodyListening(), FAST,
        "assignr.resilience.redis.timeout=20ms", "assignr.resilience.redis.key-prefix=fleet-a").run(context -> {
          assertThat(context).hasNotFailed().hasSingleBean(GateStore.class);
          RedisGateStore store = context.getBean(RedisGateStore.class);
          assertThat(context.getBean(AssignrResilience.class).gateStore()).isSameAs(store);
          assertThat(store.timeout()).isEqualTo(Duration.ofMillis(20));
          assertThat(store.keyPrefix()).isEqualTo("fleet-a");
          assertThat(context.getBeanFactory().getBeanDefinition("assignrGateStore").getDestroyMethodName())
              .isEqualTo("close");
          AssignrResilienceProperties.Redis redis = context.getBean(AssignrResilienceProperties.class).getRedis();
          assertThat(redis.toString()).doesNotContain(PASSWORD).contains("redis://127.0.0.1:");
        });
  }

  @Test
  void max_timeout_and_degraded_share_reach_the_store() {
    runner.withPropertyValues("assignr.resilience.redis.uri=" + nobodyListening(), FAST,
        "assignr.resilience.redis.max-timeout=2s", "assignr.resilience.redis.degraded-share=0.5",
        "assignr.resilience.redis.held-places=4", "assignr.resilience.redis.hold-for=250ms").run(context -> {
          assertThat(context).hasNotFailed();
          RedisGateStore store = context.getBean(RedisGateStore.class);
          assertThat(store.maxTimeout()).isEqualTo(Duration.ofSeconds(2));
          assertThat(store.degradedShare()).isEqualTo(0.5);
          assertThat(store.heldPlaces()).isEqualTo(4);
          assertThat(store.holdFor()).isEqualTo(Duration.ofMillis(250));
        });
  }

  @Test
  void bad_max_timeout_or_degraded_share_stops_startup_naming_the_property() {
    // Below the timeout (the builder's rule: between the timeout and 10 s).
    runner.withPropertyValues("assignr.resilience.redis.uri=" + nobodyListening(), FAST,
        "assignr.resilience.redis.timeout=100ms", "assignr.resilience.redis.max-timeout=50ms").run(context -> {
          assertThat(context).hasFailed();
          assertThat(messages(context.getStartupFailure()))
              .contains("assignr.resilience.redis.max-timeout").doesNotContain("maxTimeout").doesNotContain(PASSWORD);
        });
    runner.withPropertyValues("assignr.resilience.redis.uri=" + nobodyListening(), FAST,
        "assignr.resilience.redis.degraded-share=0").run(context -> {
          assertThat(context).hasFailed();
          assertThat(messages(context.getStartupFailure()))
              .contains("assignr.resilience.redis.degraded-share").contains("between 0.01 and 1")
              .doesNotContain("degradedShare").doesNotContain(PASSWORD);
        });
    runner.withPropertyValues("assignr.resilience.redis.uri=" + nobodyListening(), FAST,
        "assignr.resilience.redis.held-places=0").run(context -> {
          assertThat(context).hasFailed();
          assertThat(messages(context.getStartupFailure()))
              .contains("assignr.resilience.redis.held-places").contains("between 1 and 64")
              .doesNotContain("heldPlaces").doesNotContain(PASSWORD);
        });
    runner.withPropertyValues("assignr.resilience.redis.uri=" + nobodyListening(), FAST,
        "assignr.resilience.redis.in-flight-lease=1s", "assignr.resilience.redis.hold-for=800ms").run(context -> {
          assertThat(context).hasFailed();
          assertThat(messages(context.getStartupFailure()))
              .contains("assignr.resilience.redis.hold-for").contains("at most half the in-flight lease")
              .doesNotContain("holdFor").doesNotContain(PASSWORD);
        });
  }

  @Test
  void unset_values_are_the_stores_defaults() {
    runner.withPropertyValues("assignr.resilience.redis.uri=" + nobodyListening(), FAST).run(context -> {
      RedisGateStore store = context.getBean(RedisGateStore.class);
      assertThat(store.timeout()).isEqualTo(Duration.ofMillis(50));
      assertThat(store.keyPrefix()).isEqualTo("assignr-resilience");
      assertThat(store.maxTimeout()).isEqualTo(Duration.ofMillis(500));
      assertThat(store.degradedShare()).isEqualTo(0.25);
      assertThat(store.heldPlaces()).isEqualTo(8);
      assertThat(store.holdFor()).isEqualTo(Duration.ofSeconds(1));
    });
  }

  @Test
  void an_unreachable_redis_degrades_the_gate_and_the_health_stays_up_saying_so() {
    runner.withPropertyValues("assignr.resilience.redis.uri=" + nobodyListening(), FAST, QUOTA).run(context -> {
      assertThat(context).hasNotFailed();
      AssignrResilience resilience = context.getBean(AssignrResilience.class);
      // Not connected: the store answers at once from the local fallback, never waiting.
      InMemoryCall.answer(resilience, null, 200, InMemoryCall.headers("170"));
      assertThat(resilience.gates()).singleElement().extracting(GateState::mode).isEqualTo(GateState.Mode.DEGRADED);

      TestLine.HealthView health = TestLine.assignrHealth(context);
      assertThat(health.status()).isEqualTo("UP");
      assertThat(health.details()).containsEntry("store", "degraded");
      Map<?, ?> quota = (Map<?, ?>) ((Map<?, ?>) health.details().get("quotas")).get("assignr:club-42");
      assertThat(quota.get("store")).isEqualTo("degraded");
      assertThat(health.text()).doesNotContain(PASSWORD);
    });
  }

  @Test
  void with_redis_answering_the_gate_is_shared_and_the_health_says_so() {
    RedisServer server = startRedis();
    try {
      // Connecting and warming up (TIME, two SCRIPT LOADs) within the default 1 s is not a given on
      // a loaded machine, and without it the gate starts degraded: 10 s, as the redis module's tests.
      runner.withPropertyValues("assignr.resilience.redis.uri=redis://127.0.0.1:" + server.ports().get(0),
          "assignr.resilience.redis.timeout=2s", "assignr.resilience.redis.connect-timeout=10s", QUOTA).run(context -> {
            AssignrResilience resilience = context.getBean(AssignrResilience.class);
            InMemoryCall.answer(resilience, null, 200, InMemoryCall.headers("170")); // cold start admits
            assertThat(resilience.gates()).singleElement().extracting(GateState::mode).isEqualTo(GateState.Mode.SHARED);
            TestLine.HealthView health = TestLine.assignrHealth(context);
            assertThat(health.status()).isEqualTo("UP");
            assertThat(health.details()).containsEntry("store", "ok");
            Map<?, ?> quota = (Map<?, ?>) ((Map<?, ?>) health.details().get("quotas")).get("assignr:club-42");
            assertThat(quota.get("store")).isEqualTo("shared");
          });
    } finally {
      server.stop();
    }
  }

  /** A real redis-server (embedded-redis's binary), loopback only, on a free port, nothing persisted. */
  static RedisServer startRedis() {
    RuntimeException last = null;
    for (int i = 0; i < 3; i++) { // a free port can be taken between the probe and the bind
      int port;
      try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        port = socket.getLocalPort();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      RedisServer server = RedisServer.builder().port(port).setting("bind 127.0.0.1").setting("save \"\"")
          .setting("appendonly no").build();
      try {
        server.start();
        return server;
      } catch (RuntimeException e) {
        last = e;
      }
    }
    throw last;
  }

  @Test
  void bad_values_fail_startup_naming_the_property() {
    runner.withPropertyValues("assignr.resilience.redis.uri=" + nobodyListening(), "assignr.resilience.redis.timeout=0ms")
        .run(context -> {
          assertThat(context).hasFailed();
          assertThat(messages(context.getStartupFailure()))
              .contains("assignr.resilience.redis.timeout").doesNotContain(PASSWORD);
        });
    runner.withPropertyValues("assignr.resilience.redis.uri=" + nobodyListening(), "assignr.resilience.redis.key-prefix=a{b}")
        .run(context -> assertThat(messages(context.getStartupFailure())).contains("assignr.resilience.redis.key-prefix"));
    runner.withPropertyValues("assignr.resilience.redis.uri=http://:" + PASSWORD + "@redis.internal:6379").run(context -> {
      assertThat(context).hasFailed();
      assertThat(messages(context.getStartupFailure()))
          .contains("assignr.resilience.redis.uri").doesNotContain(PASSWORD);
    });
  }

  @Test
  void without_the_redis_module_there_is_no_store_and_the_context_starts() {
    runner.withClassLoader(new FilteredClassLoader("com.assignr.resilience.redis"))
        .withPropertyValues("assignr.resilience.redis.uri=redis://127.0.0.1:6379").run(context -> {
          assertThat(context).hasNotFailed().doesNotHaveBean(GateStore.class);
          assertThat(context.getBean(AssignrResilience.class).gateStore()).isNotNull();
        });
  }

  @Test
  void the_applications_own_gate_store_wins() {
    runner.withUserConfiguration(OwnStore.class)
        .withPropertyValues("assignr.resilience.redis.uri=redis://127.0.0.1:6379").run(context -> {
          assertThat(context).hasNotFailed().hasSingleBean(GateStore.class).doesNotHaveBean(RedisGateStore.class);
          assertThat(context.getBean(AssignrResilience.class).gateStore()).isSameAs(OwnStore.STORE);
        });
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnStore {
    static final GateStore STORE = RateLimitGate::local;

    @Bean
    GateStore gateStore() {
      return STORE;
    }
  }

  static String messages(Throwable t) {
    StringBuilder b = new StringBuilder();
    for (; t != null; t = t.getCause()) b.append(t.getMessage()).append('\n');
    return b.toString();
  }
}
