package com.assignr.resilience.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.assignr.resilience.AssignrResilience;
import com.assignr.resilience.spring.AssignrClientHttpRequestInterceptor;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.extension.requestfilter.RequestFilterAction;
import com.github.tomakehurst.wiremock.extension.requestfilter.StubRequestFilterV2;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.assignr.resilience.testkit.AssignrSimulator;
import com.assignr.resilience.testkit.VirtualTime;
import io.micrometer.observation.ObservationRegistry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.RestClient;

/**
 * Spring's {@code RestClient} with its own {@code http.client.requests} observation and the
 * library's, into one registry bridged to OpenTelemetry: the attempts no longer collapse into
 * Spring's observation. It stays one span for the whole exchange (the application's view, waits
 * included); inside it the library's call, and inside that one CLIENT span per attempt, each sent
 * with its own traceparent.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SpringRestClientObservationTest {
  final AssignrObservationsTest tracing = new AssignrObservationsTest();
  final VirtualTime time = tracing.time;
  final AssignrSimulator sim = AssignrSimulator.builder().clock(time.clock()).build();
  final List<String> received = new CopyOnWriteArrayList<>();
  final WireMockServer server = new WireMockServer(WireMockConfiguration.options().dynamicPort()
      .extensions(new StubRequestFilterV2() {
        @Override public RequestFilterAction filter(com.github.tomakehurst.wiremock.http.Request request, ServeEvent e) {
          received.add(String.valueOf(request.getHeader("traceparent")));
          return RequestFilterAction.continueWith(request);
        }

        @Override public String getName() {
          return "traceparent-recorder";
        }
      }, sim.wireMockExtension()).disableRequestJournal());

  @AfterEach
  void close() {
    server.stop();
    tracing.close();
  }

  @Test
  void springsObservationHoldsTheCallWhichHoldsOneClientSpanPerAttempt() {
    server.start();
    sim.script().serviceUnavailable(2);
    ObservationRegistry registry = tracing.tracing();
    AssignrResilience r = tracing.resilience(registry);
    RestClient client = AssignrClientHttpRequestInterceptor.configure(RestClient.builder()
        .observationRegistry(registry).requestFactory(new JdkClientHttpRequestFactory()), r).build();

    String body = client.get().uri("http://localhost:" + server.port() + "/api/v2/sites/1/games")
        .header("Authorization", AssignrObservationsTest.TOKEN).retrieve().body(String.class);
    assertTrue(body != null && !body.isEmpty());

    List<SpanData> spans = tracing.exporter.getFinishedSpanItems().stream()
        .sorted(Comparator.comparingLong(SpanData::getStartEpochNanos)).toList();
    String trace = spans.stream().map(s -> s.getName() + "/" + s.getKind() + " parent=" + s.getParentSpanId()
        + " id=" + s.getSpanId() + " " + Duration.ofNanos(s.getEndEpochNanos() - s.getStartEpochNanos()))
        .collect(Collectors.joining("\n  ", "\n  ", ""));
    SpanData spring = spans.stream().filter(s -> s.getName().equals("http get")).findFirst()
        .orElseThrow(() -> new AssertionError("Spring's span: " + trace));
    SpanData call = spans.stream().filter(s -> s.getName().equals("assignr GET")).findFirst().orElseThrow();
    assertEquals(spring.getSpanId(), call.getParentSpanId(), trace);
    List<SpanData> attempts = spans.stream()
        .filter(s -> s.getKind() == SpanKind.CLIENT && s.getParentSpanId().equals(call.getSpanId())).toList();
    assertEquals(3, attempts.size(), trace);
    assertEquals(4, spans.stream().filter(s -> s.getKind() == SpanKind.CLIENT).count(),
        "Spring's one span for the exchange, one per attempt: " + trace);
    assertEquals("2", attempts.get(2).getAttributes().get(AttributeKey.stringKey("http.request.resend_count")));
    // Spring's span lasts the exchange, the two backoffs included; each attempt's only itself.
    long springNanos = spring.getEndEpochNanos() - spring.getStartEpochNanos();
    long waited = time.sleeps().stream().mapToLong(Duration::toNanos).sum();
    assertTrue(springNanos >= waited, trace);
    // The wire saw each attempt's own traceparent, not Spring's.
    Set<String> expected = attempts.stream().map(s -> "00-" + s.getTraceId() + "-" + s.getSpanId() + "-"
        + s.getSpanContext().getTraceFlags().asHex()).collect(Collectors.toSet());
    assertEquals(expected, Set.copyOf(received), trace);
    assertEquals(3, received.size());
    for (SpanData s : spans) {
      assertFalse((s.getAttributes().toString() + s.getEvents()).contains("s3cret"), s.toString());
    }
  }
}
