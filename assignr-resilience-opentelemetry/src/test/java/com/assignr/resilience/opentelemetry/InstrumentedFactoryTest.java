package com.assignr.resilience.opentelemetry;

import static com.assignr.resilience.opentelemetry.Traces.client;
import static com.assignr.resilience.opentelemetry.Traces.one;
import static com.assignr.resilience.opentelemetry.Traces.resendCount;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.assignr.resilience.AssignrResilience;
import com.assignr.resilience.okhttp.AssignrCallFactory;
import com.assignr.resilience.testkit.AssignrSimulator;
import com.assignr.resilience.testkit.VirtualTime;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.instrumentation.api.instrumenter.Instrumenter;
import io.opentelemetry.instrumentation.api.instrumenter.SpanKindExtractor;
import io.opentelemetry.instrumentation.api.semconv.http.HttpClientAttributesExtractor;
import io.opentelemetry.instrumentation.api.semconv.http.HttpClientAttributesGetter;
import io.opentelemetry.instrumentation.api.semconv.http.HttpSpanNameExtractor;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The factory sends each attempt as a new OkHttp call, so a client instrumentation that counts
 * resends per call (as OpenTelemetry's do, through {@code HttpClientRequestResendCount} in the
 * context) would see every attempt as a first one. With {@code clientInstrumented}, the library's
 * call context carries the one counter all attempts share. The instrumentation here is built, as
 * every OpenTelemetry HTTP client instrumentation is, from the instrumentation API's {@link
 * Instrumenter} and {@link HttpClientAttributesExtractor}, as a network interceptor.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class InstrumentedFactoryTest {
  final InMemorySpanExporter exporter = InMemorySpanExporter.create();
  final SdkTracerProvider tracerProvider = SdkTracerProvider.builder()
      .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
  final OpenTelemetrySdk otel = OpenTelemetrySdk.builder().setTracerProvider(tracerProvider).build();
  final VirtualTime time = VirtualTime.autoAdvancing();
  final AssignrSimulator sim = AssignrSimulator.builder().clock(time.clock()).start();

  @AfterEach
  void close() {
    sim.close();
    tracerProvider.close();
  }

  @Test
  void theFactorysAttemptsShareOneResendCounter() throws Exception {
    sim.script().serviceUnavailable(2);
    AssignrResilience r = AssignrResilience.builder().timeSource(time).random(() -> 0.0).allowInsecureLoopback(true)
        .observer(AssignrTracing.builder(otel).clientInstrumented(true).build()).build();
    OkHttpClient instrumented = new OkHttpClient.Builder().addNetworkInterceptor(tracing()).build();

    try (Response response = AssignrCallFactory.create(instrumented, r)
        .newCall(new Request.Builder().url(sim.httpBaseUrl() + "/sites/1/games")
            .header("Authorization", "Bearer s3cret-token-value").build()).execute()) {
      assertEquals(200, response.code());
    }

    List<SpanData> spans = exporter.getFinishedSpanItems();
    String trace = Traces.describe(spans);
    SpanData call = one(spans, "assignr GET");
    List<SpanData> attempts = client(spans);
    assertEquals(3, attempts.size(), trace);
    for (SpanData attempt : attempts) {
      assertEquals("test.http-client", attempt.getInstrumentationScopeInfo().getName(), trace);
      assertEquals(call.getSpanId(), attempt.getParentSpanId(), trace);
    }
    assertNull(resendCount(attempts.get(0)), trace);
    assertEquals(1L, resendCount(attempts.get(1)), trace);
    assertEquals(2L, resendCount(attempts.get(2)), trace);
  }

  /** An HTTP client instrumentation as OpenTelemetry's are made: one CLIENT span per request sent. */
  Interceptor tracing() {
    HttpClientAttributesGetter<Request, Response> getter = new HttpClientAttributesGetter<>() {
      @Override public String getUrlFull(Request request) { return request.url().toString(); }
      @Override public String getServerAddress(Request request) { return request.url().host(); }
      @Override public Integer getServerPort(Request request) { return request.url().port(); }
      @Override public String getHttpRequestMethod(Request request) { return request.method(); }
      @Override public List<String> getHttpRequestHeader(Request request, String name) { return request.headers(name); }
      @Override public Integer getHttpResponseStatusCode(Request request, Response response, Throwable error) {
        return response.code();
      }
      @Override public List<String> getHttpResponseHeader(Request request, Response response, String name) {
        return response.headers(name);
      }
    };
    Instrumenter<Request, Response> instrumenter = Instrumenter.<Request, Response>builder(otel, "test.http-client",
            HttpSpanNameExtractor.create(getter))
        .addAttributesExtractor(HttpClientAttributesExtractor.create(getter))
        .buildInstrumenter(SpanKindExtractor.alwaysClient());
    return chain -> {
      Request request = chain.request();
      Context parent = Context.current();
      Context context = instrumenter.start(parent, request);
      try (Scope ignored = context.makeCurrent()) {
        Response response = chain.proceed(request);
        instrumenter.end(context, request, response, null);
        return response;
      } catch (IOException | RuntimeException e) {
        instrumenter.end(context, request, null, e);
        throw e;
      }
    };
  }
}
