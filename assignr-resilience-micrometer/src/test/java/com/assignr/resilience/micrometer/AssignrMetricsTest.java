package com.assignr.resilience.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.assignr.resilience.AssignrResilience;
import com.assignr.resilience.spi.ResponseAdapter;
import com.assignr.resilience.spi.HeaderLookup;
import com.assignr.resilience.spi.CallOptions;
import com.assignr.resilience.Classification;
import com.assignr.resilience.Decision;
import com.assignr.resilience.GatePolicy;
import com.assignr.resilience.Outcome;
import com.assignr.resilience.spi.RateLimitGate;
import com.assignr.resilience.RequestInfo;
import com.assignr.resilience.Slf4jRetryListener;
import com.assignr.resilience.jdk.AssignrHttpClient;
import com.assignr.resilience.testkit.VirtualTime;
import com.assignr.resilience.testkit.AssignrSimulator;
import com.assignr.resilience.testkit.RateLimitRule;
import com.assignr.resilience.testkit.ScriptedResponse;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The binder on a {@link SimpleMeterRegistry}, fed by real calls through the JDK adapter to the
 * simulator on virtual time: every number asserted is one the run's script determines.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AssignrMetricsTest {
  static final String TOKEN = "Bearer s3cret-token-value";
  static final Set<String> TAG_KEYS = Set.of("method", "outcome", "cause", "reason", "classification",
      "quota", "window", "mode", "result", "app");

  final MeterRegistry registry = new SimpleMeterRegistry();
  final List<AutoCloseable> closing = new ArrayList<>();
  AssignrSimulator sim;
  HttpClient client;
  AssignrResilience resilience;
  AssignrMetrics metrics;

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : closing) c.close();
  }

  /** A simulator on {@code vt}'s clock with these rules, and a client whose metrics are watched. */
  void start(VirtualTime vt, GatePolicy gate, RateLimitRule... rules) {
    sim = AssignrSimulator.builder().clock(vt.clock()).rateLimits(rules).start();
    closing.add(sim);
    metrics = AssignrMetrics.builder(registry).tags(Tags.of("app", "test")).build();
    resilience = metrics.monitor(AssignrResilience.builder().timeSource(vt).random(() -> 0.0)
        .allowInsecureLoopback(true).gate(gate).addListener(metrics).build());
    client = AssignrHttpClient.wrap(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build(),
        resilience);
  }

  HttpResponse<String> send(String method, String path) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(sim.httpBaseUrl() + path)).header("Authorization", TOKEN);
    b = method.equals("GET") ? b.GET() : b.method(method, HttpRequest.BodyPublishers.ofString("{}"));
    return client.send(b.build(), BodyHandlers.ofString());
  }

  String quota() {
    return resilience.gates().iterator().next().quotaKey();
  }

  double counter(String name, String... tags) {
    var c = registry.find(name).tags(tags).counter();
    return c == null ? 0 : c.count();
  }

  double gauge(String name, String... tags) {
    var g = registry.find(name).tags(tags).gauge();
    assertNotNull(g, name + " " + List.of(tags) + " is not registered");
    return g.value();
  }

  @Test
  void after_a_429_the_gate_gauge_reads_1_and_the_waits_are_timed() throws Exception {
    VirtualTime vt = VirtualTime.manual();
    start(vt, GatePolicy.defaults(), RateLimitRule.of(180, Duration.ofSeconds(60)));
    vt.advance(Duration.ofSeconds(20)); // 40 s left in the window

    CompletableFuture<HttpResponse<String>> first = CompletableFuture.supplyAsync(() -> call("GET", "/sites/1/games"));
    assertEquals(200, first.join().statusCode());
    String quota = quota();
    assertEquals(0, gauge(AssignrMetrics.GATE_CLOSED, "quota", quota));
    assertEquals(179, gauge(AssignrMetrics.REMAINING, "quota", quota, "window", "60s"));
    assertEquals(180, gauge(AssignrMetrics.LIMIT, "quota", quota, "window", "60s"));

    sim.script().respond(ScriptedResponse.status(429));
    CompletableFuture<HttpResponse<String>> refused = CompletableFuture.supplyAsync(() -> call("GET", "/sites/1/games"));
    assertTrue(vt.awaitSleepers(1, Duration.ofSeconds(10)), "the refused call waits for the reset");
    CompletableFuture<HttpResponse<String>> held = CompletableFuture.supplyAsync(() -> call("GET", "/games/1001"));
    assertTrue(vt.awaitSleepers(2, Duration.ofSeconds(10)), "the next call waits in the gate");

    // 40 s to the reset + 1 s margin (jitter pinned at 0): the gate is shut for 41 s.
    assertEquals(1, gauge(AssignrMetrics.GATE_CLOSED, "quota", quota));
    assertEquals(41, gauge(AssignrMetrics.GATE_OPENS_IN, "quota", quota), 0.001);
    assertEquals(0, gauge(AssignrMetrics.REMAINING, "quota", quota, "window", "60s"), "the 429 said 0 left");
    assertEquals(1, counter(AssignrMetrics.RATE_LIMITED));
    assertEquals(1, counter(AssignrMetrics.RETRIES, "cause", "429"));
    assertEquals(1, counter(AssignrMetrics.GATE_CLOSURES, "quota", quota));
    Timer gateWait = registry.find(AssignrMetrics.GATE_WAIT).timer();
    assertEquals(1, gateWait.count());
    assertTrue(gateWait.totalTime(TimeUnit.SECONDS) >= 41, "waits at least until the gate opens: " + gateWait);
    Timer retryDelay = registry.find(AssignrMetrics.RETRY_DELAY).tags("cause", "429").timer();
    assertEquals(41, retryDelay.totalTime(TimeUnit.SECONDS), 0.001);

    vt.advance(Duration.ofSeconds(45));
    assertEquals(200, refused.join().statusCode());
    assertEquals(200, held.join().statusCode());

    assertEquals(0, gauge(AssignrMetrics.GATE_CLOSED, "quota", quota));
    assertEquals(0, gauge(AssignrMetrics.GATE_OPENS_IN, "quota", quota));
    assertEquals(178, gauge(AssignrMetrics.REMAINING, "quota", quota, "window", "60s"), "the new window's second answer");
    assertEquals(2, counter(AssignrMetrics.CALLS, "outcome", "successful_without_retry", "method", "GET"));
    assertEquals(1, counter(AssignrMetrics.CALLS, "outcome", "successful_with_retry", "method", "GET"));
    assertEquals(1, gauge(AssignrMetrics.STORE, "quota", quota, "mode", "local"));
    assertEquals(0, gauge(AssignrMetrics.STORE, "quota", quota, "mode", "degraded"));
    assertTagsBounded();
  }

  @Test
  void the_remaining_gauges_follow_the_binding_window() throws Exception {
    VirtualTime vt = VirtualTime.autoAdvancing();
    // 5 per 5 s and 6 per 15 s: the short window binds first, the long one once the short resets.
    start(vt, GatePolicy.defaults().toBuilder().reserve(0).build(),
        RateLimitRule.of(5, Duration.ofSeconds(5)), RateLimitRule.of(6, Duration.ofSeconds(15)));
    send("GET", "/sites/1/games");
    send("GET", "/sites/1/games");
    String quota = quota();

    assertEquals(3, gauge(AssignrMetrics.REMAINING, "quota", quota, "window", "5s"));
    assertEquals(5, gauge(AssignrMetrics.LIMIT, "quota", quota, "window", "5s"));
    assertNull(registry.find(AssignrMetrics.REMAINING).tags("window", "15s").gauge(), "not seen yet");

    vt.advance(Duration.ofSeconds(5));
    send("GET", "/sites/1/games");

    assertEquals(3, gauge(AssignrMetrics.REMAINING, "quota", quota, "window", "15s"), "6 - 3");
    assertEquals(6, gauge(AssignrMetrics.LIMIT, "quota", quota, "window", "15s"));
    assertTrue(Double.isNaN(gauge(AssignrMetrics.REMAINING, "quota", quota, "window", "5s")), "5 s no longer binds");
    assertTrue(Double.isNaN(gauge(AssignrMetrics.LIMIT, "quota", quota, "window", "5s")));
    assertEquals(3, counter(AssignrMetrics.CALLS, "outcome", "successful_without_retry"));
    assertTagsBounded();
  }

  @Test
  void retries_and_give_ups_are_counted_by_cause_and_reason() throws Exception {
    VirtualTime vt = VirtualTime.autoAdvancing();
    start(vt, GatePolicy.defaults(), RateLimitRule.of(180, Duration.ofSeconds(60)));

    sim.script().serviceUnavailable(2);
    assertEquals(200, send("GET", "/sites/1/games").statusCode());
    sim.script().next(1).respondStatus(500);
    assertEquals(500, send("POST", "/assignments/10011/confirm").statusCode());
    assertEquals(404, send("GET", "/games/999999").statusCode());
    sim.script().next(1).respondStatus(502);
    assertEquals(200, send("GET", "/games/1001").statusCode());
    sim.script().next(2).respondStatus(500);
    sim.script().serviceUnavailable(3);
    assertEquals(503, send("PUT", "/games/1001").statusCode(), "5 attempts: 500, 500, 503, 503, 503");

    assertEquals(2, counter(AssignrMetrics.CALLS, "outcome", "successful_with_retry", "method", "GET"));
    assertEquals(1, counter(AssignrMetrics.CALLS, "outcome", "failed_without_retry", "method", "POST"));
    assertEquals(1, counter(AssignrMetrics.CALLS, "outcome", "failed_without_retry", "method", "GET"));
    assertEquals(1, counter(AssignrMetrics.CALLS, "outcome", "failed_with_retry", "method", "PUT"));
    assertEquals(2 + 2, counter(AssignrMetrics.RETRIES, "cause", "503"));
    assertEquals(1 + 2, counter(AssignrMetrics.RETRIES, "cause", "5xx"));
    assertEquals(1, counter(AssignrMetrics.GIVE_UPS, "reason", "not_idempotent", "classification", "server_error"));
    assertEquals(1, counter(AssignrMetrics.GIVE_UPS, "reason", "not_retryable", "classification", "not_found"));
    assertEquals(1, counter(AssignrMetrics.GIVE_UPS, "reason", "attempts_exhausted", "classification", "service_unavailable"));
    assertEquals(0, counter(AssignrMetrics.RATE_LIMITED));
    // The backoff schedule with jitter pinned at 0: 0.5 s + 1 s, then 0.5 + 1 + 2 + 4 s.
    Timer delays503 = registry.find(AssignrMetrics.RETRY_DELAY).tags("cause", "503").timer();
    assertEquals(Duration.ofMillis(500 + 1000 + 2000 + 4000).toMillis(), delays503.totalTime(TimeUnit.MILLISECONDS), 0.001);
    assertTagsBounded();
  }

  @Test
  void a_call_interrupted_in_its_backoff_is_counted_as_ended() throws Exception {
    VirtualTime vt = VirtualTime.manual();
    start(vt, GatePolicy.defaults(), RateLimitRule.of(180, Duration.ofSeconds(60)));
    sim.script().serviceUnavailable(1);
    CompletableFuture<Throwable> thrown = new CompletableFuture<>();
    Thread caller = new Thread(() -> {
      try {
        send("GET", "/games/1001");
        thrown.complete(null);
      } catch (Throwable t) {
        thrown.complete(t);
      }
    });
    caller.start();
    assertTrue(vt.awaitSleepers(1, Duration.ofSeconds(10)), "the call waits out its backoff after the 503");
    caller.interrupt();
    assertInstanceOf(InterruptedException.class, thrown.get(10, TimeUnit.SECONDS), "java.net.http's contract");
    // Every call that ends is counted: a cancelled one once was not.
    assertEquals(1, counter(AssignrMetrics.CALLS, "outcome", "failed_without_retry", "method", "GET"));
    assertEquals(1, counter(AssignrMetrics.GIVE_UPS, "reason", "cancelled", "classification", "service_unavailable"));
  }

  @Test
  void io_failures_are_one_cause_whether_the_connection_opened_or_not() {
    metrics = AssignrMetrics.create(registry);
    RequestInfo request = RequestInfo.of("GET", URI.create("https://api.assignr.com/api/v2/games/1"), true);
    // (Through a real client a reset connection is retried by the client itself before we see it.)
    metrics.onRetryScheduled(request, 1, new Decision.Retry(Duration.ofMillis(500), Classification.CONNECT_FAILURE, false));
    metrics.onRetryScheduled(request, 2, new Decision.Retry(Duration.ofSeconds(1), Classification.IO_FAILURE, false));
    metrics.onRetryScheduled(request, 3, new Decision.Retry(Duration.ofSeconds(2), Classification.NOT_FOUND, false));

    assertEquals(2, counter(AssignrMetrics.RETRIES, "cause", "io"));
    assertEquals(1, counter(AssignrMetrics.RETRIES, "cause", "other"), "a retry the user's own rule allowed");
    assertEquals(1500, registry.find(AssignrMetrics.RETRY_DELAY).tags("cause", "io").timer().totalTime(TimeUnit.MILLISECONDS), 0.001);
  }

  @Test
  void quotas_and_windows_get_a_bounded_number_of_gauges() throws Exception {
    VirtualTime vt = VirtualTime.autoAdvancing();
    sim = AssignrSimulator.builder().clock(vt.clock()).rateLimits(RateLimitRule.of(180, Duration.ofSeconds(60))).start();
    closing.add(sim);
    metrics = AssignrMetrics.builder(registry).maxQuotas(2).build();
    resilience = metrics.monitor(AssignrResilience.builder().timeSource(vt).allowInsecureLoopback(true)
        .addListener(metrics).build());
    client = AssignrHttpClient.wrap(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build(), resilience);
    // A server that names a different period, and reset, on every response.
    for (int i = 1; i <= 7; i++) {
      sim.script().respond(ScriptedResponse.status(200).header("X-Ratelimit-Period", Integer.toString(10 * i))
          .header("X-Ratelimit-Reset-Seconds-Remaining", Integer.toString(i)));
      send("GET", "/sites/1/games");
    }
    // Five accounts (credentials), so five quotas under the default key.
    for (int i = 0; i < 5; i++) {
      client.send(HttpRequest.newBuilder(URI.create(sim.httpBaseUrl() + "/sites")).header("Authorization", "Bearer other-" + i)
          .build(), BodyHandlers.discarding());
    }

    assertEquals(6, resilience.gates().size());
    Set<String> quotas = registry.find(AssignrMetrics.GATE_CLOSED).gauges().stream()
        .map(g -> g.getId().getTag("quota")).collect(Collectors.toSet());
    assertEquals(2, quotas.size(), "maxQuotas(2): " + quotas);
    Set<String> windows = registry.find(AssignrMetrics.REMAINING).gauges().stream()
        .map(g -> g.getId().getTag("window")).collect(Collectors.toCollection(TreeSet::new));
    assertTrue(windows.size() <= 4 + 1, "at most 4 windows for the first quota, 1 for the other: " + windows);
    String first = registry.find(AssignrMetrics.REMAINING).tags("window", "10s").gauge().getId().getTag("quota");
    assertEquals(Set.of("10s", "20s", "30s", "40s"), registry.find(AssignrMetrics.REMAINING).tags("quota", first)
        .gauges().stream().map(g -> g.getId().getTag("window")).collect(Collectors.toSet()),
        "the first four periods the server named, no more");
    assertTagsBounded();
  }

  @Test
  void a_success_allocates_nothing_in_the_binder() throws Exception {
    metrics = AssignrMetrics.create(registry);
    resilience = metrics.monitor(AssignrResilience.builder().addListener(metrics).build());
    RequestInfo request = RequestInfo.of("GET", URI.create("https://api.assignr.com/api/v2/games/1"), true);
    HeaderLookup headers = name -> switch (name) {
      case "X-Ratelimit-Limit" -> "180";
      case "X-Ratelimit-Period" -> "60";
      case "X-Ratelimit-Remaining" -> "170";
      case "X-Ratelimit-Reset-Seconds-Remaining" -> "30";
      default -> null;
    };
    // One call through the executor: the gate learns what the gauges read.
    resilience.executor().execute(request, CallOptions.none().withCredentials(TOKEN), attempt -> 200,
        new ResponseAdapter<Integer>() {
          @Override public int status(Integer status) { return status; }
          @Override public HeaderLookup headers(Integer status) { return headers; }
          @Override public void discard(Integer status) {}
        });
    String quota = resilience.gates().get(0).quotaKey();
    Outcome ok = Outcome.response(200, headers);
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    for (int i = 0; i < 20_000; i++) success(request, quota, ok); // registers the meters, warms up

    long before = threads.getCurrentThreadAllocatedBytes();
    for (int i = 0; i < 100_000; i++) success(request, quota, ok);
    long allocated = threads.getCurrentThreadAllocatedBytes() - before;

    assertTrue(allocated < 4096, "100,000 successes allocated " + allocated + " bytes in the binder");
    assertEquals(120_001, counter(AssignrMetrics.CALLS, "outcome", "successful_without_retry")); // + the executor call
    assertEquals(170, gauge(AssignrMetrics.REMAINING, "quota", quota, "window", "60s"), 0.0,
        "the gauge reads what the gate learned");
  }

  private void success(RequestInfo request, String quota, Outcome ok) {
    metrics.onAttempt(request, 1);
    metrics.onRateLimitObserved(quota, ok.rateLimit());
    metrics.onOutcome(request, 1, ok);
  }

  @Test
  void adding_the_binder_keeps_the_logging_listener() {
    metrics = AssignrMetrics.create(registry);
    AssignrResilience withMetrics = AssignrResilience.builder().addListener(metrics).build();

    assertEquals(2, withMetrics.listeners().size());
    assertTrue(withMetrics.listeners().get(0) instanceof Slf4jRetryListener, withMetrics.listeners().toString());
    assertEquals(metrics, withMetrics.listeners().get(1));
    assertEquals(withMetrics, metrics.monitor(withMetrics));
  }

  @Test
  void monitoring_a_configuration_that_does_not_hear_the_binder_is_refused() {
    metrics = AssignrMetrics.create(registry);
    AssignrResilience deaf = AssignrResilience.defaults();

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> metrics.monitor(deaf));
    assertTrue(e.getMessage().contains("addListener"), e.getMessage());
    AssignrResilience other = AssignrResilience.builder().addListener(metrics).build();
    metrics.monitor(AssignrResilience.builder().addListener(metrics).build());
    assertThrows(IllegalStateException.class, () -> metrics.monitor(other));
    var refused = assertThrows(com.assignr.resilience.InvalidSettingsException.class,
        () -> AssignrMetrics.builder(registry).maxQuotas(0).build());
    assertEquals("Invalid AssignrMetrics: maxQuotas must be between 1 and 10000 but was 0", refused.getMessage());
  }

  @Test
  void settersOnlyStore_andBuildNamesEveryBadSettingAtOnce() {
    AssignrMetrics.Builder builder = AssignrMetrics.builder(null).tags(null).maxQuotas(10_001);
    var refused = assertThrows(com.assignr.resilience.InvalidSettingsException.class, builder::build);
    assertEquals("Invalid AssignrMetrics: registry must not be null but was null; tags must not be null but was null;"
        + " maxQuotas must be between 1 and 10000 but was 10001", refused.getMessage());
  }

  /** Every tag key is one of the documented ones; no value carries a credential, path or query. */
  void assertTagsBounded() {
    for (Meter meter : registry.getMeters()) {
      for (Tag tag : meter.getId().getTags()) {
        assertTrue(TAG_KEYS.contains(tag.getKey()), meter.getId() + " has an undocumented tag");
        String v = tag.getValue();
        assertTrue(!v.contains("s3cret") && !v.contains("Bearer") && !v.contains("/") && !v.contains("?"),
            meter.getId() + " leaks " + v);
      }
    }
  }

  private HttpResponse<String> call(String method, String path) {
    try {
      return send(method, path);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
