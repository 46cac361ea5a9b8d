package com.assignr.resilience.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import com.assignr.resilience.AssignrResilience;
import com.assignr.resilience.jdk.AssignrHttpClient;
import com.assignr.resilience.okhttp.AssignrInterceptor;
import com.assignr.resilience.TimeSource;
import com.assignr.resilience.spi.Authorizer;
import com.assignr.resilience.spi.CallObservation;
import com.assignr.resilience.spi.CancellationSignal;
import com.assignr.resilience.testkit.AssignrSimulator;
import com.assignr.resilience.testkit.VirtualTime;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingSenderTracingObservationHandler;
import io.micrometer.tracing.otel.bridge.OtelBaggageManager;
import io.micrometer.tracing.otel.bridge.OtelCurrentTraceContext;
import io.micrometer.tracing.otel.bridge.OtelPropagator;
import io.micrometer.tracing.otel.bridge.OtelTracer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.common.Clock;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link AssignrObservations} through real adapters to the simulator on virtual time: with
 * Micrometer's test registry, and bridged to OpenTelemetry by Micrometer Tracing (the SDK reading
 * the virtual clock, so waits have their virtual length) into the in-memory exporter.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AssignrObservationsTest {
  static final String TOKEN = "Bearer s3cret-token-value";
  final VirtualTime time = VirtualTime.autoAdvancing();
  final AssignrSimulator sim = AssignrSimulator.builder().clock(time.clock()).start();
  final InMemorySpanExporter exporter = InMemorySpanExporter.create();
  final SdkTracerProvider tracerProvider = SdkTracerProvider.builder()
      .setClock(new Clock() {
        @Override public long now() {
          Instant i = time.instant();
          return TimeUnit.SECONDS.toNanos(i.getEpochSecond()) + i.getNano();
        }

        @Override public long nanoTime() {
          return time.nanoTime();
        }
      })
      .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();

  @AfterEach
  void close() {
    sim.close();
    tracerProvider.close();
  }

  /** A registry whose observations Micrometer Tracing turns into OpenTelemetry spans. */
  ObservationRegistry tracing() {
    io.opentelemetry.api.trace.Tracer otelTracer = tracerProvider.get("test");
    OtelCurrentTraceContext current = new OtelCurrentTraceContext();
    OtelTracer tracer = new OtelTracer(otelTracer, current, event -> {},
        new OtelBaggageManager(current, List.of(), List.of()));
    OtelPropagator propagator = new OtelPropagator(
        ContextPropagators.create(W3CTraceContextPropagator.getInstance()), otelTracer);
    ObservationRegistry registry = ObservationRegistry.create();
    registry.observationConfig().observationHandler(new ObservationHandler.FirstMatchingCompositeObservationHandler(
        new PropagatingSenderTracingObservationHandler<>(tracer, propagator),
        new DefaultTracingObservationHandler(tracer)));
    return registry;
  }

  AssignrResilience resilience(ObservationRegistry registry) {
    return AssignrResilience.builder().timeSource(time).random(() -> 0.0).allowInsecureLoopback(true)
        .observer(AssignrObservations.create(registry)).build();
  }

  int get(String adapter, AssignrResilience r) throws Exception {
    String url = sim.httpBaseUrl() + "/sites/1/games";
    if (adapter.equals("okhttp")) {
      OkHttpClient client = AssignrInterceptor.configure(new OkHttpClient.Builder(), r).build();
      try (Response response = client.newCall(new Request.Builder().url(url).header("Authorization", TOKEN).build())
          .execute()) {
        return response.code();
      }
    }
    HttpClient client = AssignrHttpClient.wrap(HttpClient.newHttpClient(), r);
    return client.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", TOKEN).build(),
        BodyHandlers.ofString()).statusCode();
  }

  @ParameterizedTest
  @ValueSource(strings = {"okhttp", "jdk"})
  void bridgedToOpenTelemetryA503_503_200CallIsThreeClientSpansAndTwoTimedBackoffs(String adapter) throws Exception {
    sim.script().serviceUnavailable(2);

    assertEquals(200, get(adapter, resilience(tracing())));

    List<SpanData> spans = exporter.getFinishedSpanItems().stream()
        .sorted(Comparator.comparingLong(SpanData::getStartEpochNanos)).toList();
    String trace = spans.stream().map(s -> s.getName() + "/" + s.getKind() + " " + s.getAttributes().asMap()
        + " " + Duration.ofNanos(s.getEndEpochNanos() - s.getStartEpochNanos())).toList().toString();
    SpanData call = spans.stream().filter(s -> s.getName().equals("assignr GET")).findFirst().orElseThrow();
    assertEquals(SpanKind.INTERNAL, call.getKind(), trace);
    List<SpanData> attempts = spans.stream().filter(s -> s.getKind() == SpanKind.CLIENT).toList();
    assertEquals(3, attempts.size(), trace);
    AttributeKey<String> resend = AttributeKey.stringKey("http.request.resend_count");
    assertNull(attempts.get(0).getAttributes().get(resend), trace);
    assertEquals("1", attempts.get(1).getAttributes().get(resend), trace);
    assertEquals("2", attempts.get(2).getAttributes().get(resend), trace);
    for (SpanData attempt : attempts) assertEquals(call.getSpanId(), attempt.getParentSpanId(), trace);
    List<Duration> backoffs = spans.stream().filter(s -> s.getName().equals("assignr backoff"))
        .map(s -> Duration.ofNanos(s.getEndEpochNanos() - s.getStartEpochNanos())).toList();
    assertEquals(time.sleeps(), backoffs, trace);
    assertEquals(2, backoffs.size(), trace);
    for (SpanData s : spans) {
      String all = s.getName() + s.getAttributes() + s.getEvents();
      assertFalse(all.contains("s3cret") || all.contains("Bearer") || all.contains("/sites/1"), all);
    }
  }

  @Test
  void eachAttemptIsAnObservationInsideTheCalls() throws Exception {
    TestObservationRegistry registry = TestObservationRegistry.create();
    List<Observation.Context> stopped = new java.util.concurrent.CopyOnWriteArrayList<>();
    registry.observationConfig().observationHandler(new ObservationHandler<>() {
      @Override public boolean supportsContext(Observation.Context context) {
        return true;
      }

      @Override public void onStop(Observation.Context context) {
        stopped.add(context);
      }
    });
    sim.script().serviceUnavailable(1);

    assertEquals(200, get("jdk", resilience(registry)));

    TestObservationRegistryAssert.assertThat(registry)
        .doesNotHaveAnyRemainingCurrentObservation()
        .hasNumberOfObservationsWithNameEqualTo(AssignrObservations.CALL, 1)
        .hasNumberOfObservationsWithNameEqualTo(AssignrObservations.ATTEMPT, 2)
        .hasNumberOfObservationsWithNameEqualTo(AssignrObservations.WAIT, 1)
        .forAllObservationsWithNameEqualTo(AssignrObservations.ATTEMPT, o -> o.hasParentObservation());
    List<Observation.Context> attempts = stopped.stream()
        .filter(c -> c.getName().equals(AssignrObservations.ATTEMPT)).toList();
    Observation.Context call = stopped.stream()
        .filter(c -> c.getName().equals(AssignrObservations.CALL)).findFirst().orElseThrow();
    for (Observation.Context attempt : attempts) {
      assertSame(call, attempt.getParentObservation().getContextView());
    }
    assertEquals("503", attempts.get(0).getLowCardinalityKeyValue("http.response.status_code").getValue());
    assertEquals("200", attempts.get(1).getLowCardinalityKeyValue("http.response.status_code").getValue());
    assertNull(attempts.get(0).getHighCardinalityKeyValue("http.request.resend_count"));
    assertEquals("1", attempts.get(1).getHighCardinalityKeyValue("http.request.resend_count").getValue());
    assertEquals("success", call.getLowCardinalityKeyValue("outcome").getValue());
    assertEquals("2", call.getHighCardinalityKeyValue("assignr.attempts").getValue());
  }

  /** Credentials the library manages whose token arrives 1.7 s (virtual) after it is asked for. */
  final class SlowTokens implements Authorizer {
    @Override public String authorization(long maxWaitNanos, CancellationSignal cancellation) throws IOException {
      try {
        time.sleep(Duration.ofMillis(1700).toNanos(), cancellation);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new java.io.InterruptedIOException("interrupted");
      }
      return TOKEN;
    }

    @Override public CompletableFuture<String> authorizationAsync(long maxWaitNanos) {
      CompletableFuture<String> token = new CompletableFuture<>();
      time.schedule(() -> token.complete(TOKEN), Duration.ofMillis(1700).toNanos());
      return token;
    }

    @Override public boolean invalidate(String authorizationThatGot401) {
      return false;
    }

    @Override public String quotaKey() {
      return "test-client";
    }

    @Override public TimeSource timeSource() {
      return time;
    }
  }

  /**
   * Micrometer cannot start an observation in the past, and the wait is known once it is over: a
   * token wait is an event of the call's observation that names its length, never the token.
   */
  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void aWaitForTheTokenIsAnEventOfTheCallWithItsLengthAndNoToken(boolean async) throws Exception {
    TestObservationRegistry registry = TestObservationRegistry.create();
    List<String> events = new CopyOnWriteArrayList<>();
    List<Observation.Context> stopped = new CopyOnWriteArrayList<>();
    registry.observationConfig().observationHandler(new ObservationHandler<>() {
      @Override public boolean supportsContext(Observation.Context context) {
        return true;
      }

      @Override public void onEvent(Observation.Event event, Observation.Context context) {
        events.add(context.getName() + " " + event.getName() + " " + event.getContextualName());
      }

      @Override public void onStop(Observation.Context context) {
        stopped.add(context);
      }
    });
    AssignrResilience r = AssignrResilience.builder().timeSource(time).random(() -> 0.0).allowInsecureLoopback(true)
        .credentials(new SlowTokens()).observer(AssignrObservations.create(registry)).build();
    HttpClient client = AssignrHttpClient.wrap(HttpClient.newHttpClient(), r);
    HttpRequest request = HttpRequest.newBuilder(URI.create(sim.httpBaseUrl() + "/sites/1/games")).build();

    int status = async ? client.sendAsync(request, BodyHandlers.ofString()).get(30, TimeUnit.SECONDS).statusCode()
        : client.send(request, BodyHandlers.ofString()).statusCode();

    assertEquals(200, status);
    assertEquals(List.of(AssignrObservations.CALL + " assignr.token assignr token 1700 ms"), events);
    TestObservationRegistryAssert.assertThat(registry)
        .doesNotHaveAnyRemainingCurrentObservation()
        .hasNumberOfObservationsWithNameEqualTo(AssignrObservations.CALL, 1)
        .hasNumberOfObservationsWithNameEqualTo(AssignrObservations.ATTEMPT, 1)
        .hasNumberOfObservationsWithNameEqualTo(AssignrObservations.WAIT, 0);
    assertEquals(2, stopped.size());
    for (Observation.Context c : stopped) {
      String all = c.getName() + c.getContextualName() + c.getAllKeyValues() + events;
      assertFalse(all.contains("s3cret") || all.contains("Bearer"), all);
    }
  }

  /** An attempt that throws an Error stops its attempt's observation and the call's. */
  @Test
  void anAttemptThatThrowsAnErrorLeavesNoObservationOpen() {
    TestObservationRegistry registry = TestObservationRegistry.create();
    List<Observation.Context> stopped = new CopyOnWriteArrayList<>();
    registry.observationConfig().observationHandler(new ObservationHandler<>() {
      @Override public boolean supportsContext(Observation.Context context) {
        return true;
      }

      @Override public void onStop(Observation.Context context) {
        stopped.add(context);
      }
    });
    AssertionError boom = new AssertionError("boom");
    OkHttpClient client = AssignrInterceptor.configure(new OkHttpClient.Builder(), resilience(registry))
        .addInterceptor(chain -> {
          throw boom;
        }).build();

    assertSame(boom, org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class, () -> client.newCall(
        new Request.Builder().url(sim.httpBaseUrl() + "/sites/1/games").header("Authorization", TOKEN).build())
        .execute()));

    TestObservationRegistryAssert.assertThat(registry)
        .doesNotHaveAnyRemainingCurrentObservation()
        .hasNumberOfObservationsWithNameEqualTo(AssignrObservations.CALL, 1)
        .hasNumberOfObservationsWithNameEqualTo(AssignrObservations.ATTEMPT, 1);
    assertEquals(List.of(AssignrObservations.ATTEMPT, AssignrObservations.CALL),
        stopped.stream().map(Observation.Context::getName).toList());
    assertSame(boom, stopped.get(0).getError());
  }

  @Test
  void aNoopRegistryCostsNothing() {
    assertSame(CallObservation.NONE, AssignrObservations.create(ObservationRegistry.NOOP)
        .start(com.assignr.resilience.RequestInfo.of("GET", URI.create("https://a.example/x"), true), time));
  }
}
