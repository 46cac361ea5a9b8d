package com.assignr.resilience.opentelemetry;

import static com.assignr.resilience.opentelemetry.Traces.client;
import static com.assignr.resilience.opentelemetry.Traces.duration;
import static com.assignr.resilience.opentelemetry.Traces.named;
import static com.assignr.resilience.opentelemetry.Traces.one;
import static com.assignr.resilience.opentelemetry.Traces.resendCount;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.assignr.resilience.AssignrException;
import com.assignr.resilience.AssignrResilience;
import com.assignr.resilience.jdk.AssignrHttpClient;
import com.assignr.resilience.okhttp.AssignrCallFactory;
import com.assignr.resilience.okhttp.AssignrInterceptor;
import com.assignr.resilience.httpclient5.AssignrHttpClient5;
import com.assignr.resilience.spi.Authorizer;
import com.assignr.resilience.spi.CallObserver;
import com.assignr.resilience.spi.CancellationSignal;
import com.assignr.resilience.spring.AssignrClientHttpRequestInterceptor;
import com.assignr.resilience.spring.AssignrExchangeFilterFunction;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.http.client.reactive.JdkClientHttpConnector;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;
import com.assignr.resilience.testkit.AssignrSimulator;
import com.assignr.resilience.testkit.ScriptedResponse;
import com.assignr.resilience.testkit.VirtualTime;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.extension.requestfilter.RequestFilterAction;
import com.github.tomakehurst.wiremock.extension.requestfilter.StubRequestFilterV2;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.util.concurrent.CopyOnWriteArrayList;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.instrumentation.okhttp.v3_0.OkHttpTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Real calls through each adapter to the simulator (WireMock, random port) on virtual time,
 * exported to OpenTelemetry's in-memory exporter: the spans asserted are the ones the SDK exports.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AssignrTracingTest {
  static final String TOKEN = "Bearer s3cret-token-value";
  static final String PATH = "/sites/1/games";

  final InMemorySpanExporter exporter = InMemorySpanExporter.create();
  final SdkTracerProvider tracerProvider = SdkTracerProvider.builder()
      .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
  final OpenTelemetrySdk otel = OpenTelemetrySdk.builder().setTracerProvider(tracerProvider)
      .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance())).build();
  final List<AutoCloseable> closing = new ArrayList<>();
  final VirtualTime time = VirtualTime.autoAdvancing();
  final AssignrSimulator sim = AssignrSimulator.builder().clock(time.clock()).build();
  /** What each request carried as traceparent, as the server received it ("" for none). */
  final List<String> received = new CopyOnWriteArrayList<>();
  final WireMockServer server = start(new WireMockServer(WireMockConfiguration.options().dynamicPort()
      .extensions(new StubRequestFilterV2() {
        @Override public RequestFilterAction filter(com.github.tomakehurst.wiremock.http.Request request, ServeEvent event) {
          String traceparent = request.getHeader("traceparent");
          received.add(traceparent == null ? "" : traceparent);
          return RequestFilterAction.continueWith(request);
        }

        @Override public String getName() {
          return "traceparent-recorder";
        }
      }, sim.wireMockExtension()).disableRequestJournal()));
  final String base = "http://localhost:" + server.port() + "/api/v2";

  static WireMockServer start(WireMockServer server) {
    server.start();
    return server;
  }

  @AfterEach
  void close() throws Exception {
    server.stop();
    for (AutoCloseable c : closing) c.close();
    tracerProvider.close();
  }

  AssignrResilience resilience(CallObserver observer) {
    return AssignrResilience.builder().timeSource(time).random(() -> 0.0).allowInsecureLoopback(true)
        .observer(observer).build();
  }

  /** One way of sending a GET through an adapter: the status it got. */
  enum Route {
    OKHTTP_INTERCEPTOR, OKHTTP_FACTORY, OKHTTP_FACTORY_ENQUEUE, JDK_SEND, JDK_SEND_ASYNC,
    SPRING_REST_CLIENT, SPRING_WEBCLIENT, HTTPCLIENT5;

    int get(AssignrResilience r, String url) throws Exception {
      switch (this) {
        case OKHTTP_INTERCEPTOR, OKHTTP_FACTORY, OKHTTP_FACTORY_ENQUEUE -> {
          OkHttpClient plain = new OkHttpClient();
          Call.Factory calls = this == OKHTTP_INTERCEPTOR
              ? AssignrInterceptor.configure(plain.newBuilder(), r).build()
              : AssignrCallFactory.create(plain, r);
          Call call = calls.newCall(new Request.Builder().url(url).header("Authorization", TOKEN).build());
          if (this != OKHTTP_FACTORY_ENQUEUE) {
            try (Response response = call.execute()) {
              return response.code();
            }
          }
          CompletableFuture<Integer> code = new CompletableFuture<>();
          call.enqueue(new Callback() {
            @Override public void onFailure(Call c, IOException e) { code.completeExceptionally(e); }
            @Override public void onResponse(Call c, Response response) {
              try (response) {
                code.complete(response.code());
              }
            }
          });
          return code.get(30, TimeUnit.SECONDS);
        }
        case SPRING_REST_CLIENT -> {
          RestClient client = AssignrClientHttpRequestInterceptor.configure(RestClient.builder()
              .requestFactory(new JdkClientHttpRequestFactory()), r).build();
          return client.get().uri(url).header("Authorization", TOKEN).retrieve().toBodilessEntity()
              .getStatusCode().value();
        }
        case SPRING_WEBCLIENT -> {
          WebClient client = WebClient.builder().clientConnector(new JdkClientHttpConnector())
              .filter(AssignrExchangeFilterFunction.create(r)).build();
          return client.get().uri(url).header("Authorization", TOKEN).retrieve().toBodilessEntity()
              .block(Duration.ofSeconds(30)).getStatusCode().value();
        }
        case HTTPCLIENT5 -> {
          try (CloseableHttpClient client = AssignrHttpClient5.configure(HttpClients.custom(), r).build()) {
            HttpGet get = new HttpGet(url);
            get.setHeader("Authorization", TOKEN);
            return client.execute(get, response -> {
              EntityUtils.consume(response.getEntity());
              return response.getCode();
            });
          }
        }
        default -> {
          HttpClient client = AssignrHttpClient.wrap(HttpClient.newHttpClient(), r);
          HttpRequest request = HttpRequest.newBuilder(URI.create(url)).header("Authorization", TOKEN).build();
          return this == JDK_SEND ? client.send(request, BodyHandlers.ofString()).statusCode()
              : client.sendAsync(request, BodyHandlers.ofString()).get(30, TimeUnit.SECONDS).statusCode();
        }
      }
    }

    /** The waits the loop took: slept on a thread, or scheduled (the async loops). */
    List<Duration> waits(VirtualTime time) {
      return this == OKHTTP_FACTORY_ENQUEUE || this == JDK_SEND_ASYNC || this == SPRING_WEBCLIENT
          ? time.scheduledDelays() : time.sleeps();
    }
  }

  @ParameterizedTest
  @EnumSource(Route.class)
  void a503_503_200CallIsThreeClientSpansWithResendCountsAndTwoTimedBackoffs(Route route) throws Exception {
    sim.script().serviceUnavailable(2);

    assertEquals(200, route.get(resilience(AssignrTracing.create(otel)), base + PATH));

    List<SpanData> spans = exporter.getFinishedSpanItems();
    String trace = Traces.waterfall(spans, Duration.ofMillis(100));
    SpanData call = one(spans, "assignr GET");
    assertEquals(SpanKind.INTERNAL, call.getKind());
    assertEquals(3L, call.getAttributes().get(TracedCall.ATTEMPTS), trace);
    assertEquals(StatusCode.UNSET, call.getStatus().getStatusCode(), trace);

    List<SpanData> attempts = client(spans);
    assertEquals(3, attempts.size(), trace);
    assertEquals(List.of(503L, 503L, 200L), attempts.stream()
        .map(s -> s.getAttributes().get(TracedCall.HTTP_RESPONSE_STATUS_CODE)).toList(), trace);
    assertNull(resendCount(attempts.get(0)), trace);
    assertEquals(1L, resendCount(attempts.get(1)), trace);
    assertEquals(2L, resendCount(attempts.get(2)), trace);
    for (SpanData attempt : attempts) {
      assertEquals("GET", attempt.getName());
      assertEquals(call.getSpanId(), attempt.getParentSpanId(), trace);
      assertEquals(call.getTraceId(), attempt.getTraceId());
    }

    // The two backoffs, each its own span between the attempts, lasting the wait the loop took.
    List<SpanData> backoffs = named(spans, "assignr backoff");
    assertEquals(2, backoffs.size(), trace);
    List<Duration> waits = route.waits(time);
    assertEquals(waits, backoffs.stream().map(Traces::duration).toList(), trace);
    for (int i = 0; i < 2; i++) {
      SpanData backoff = backoffs.get(i);
      assertTrue(duration(backoff).toMillis() > 0, trace);
      assertEquals(call.getSpanId(), backoff.getParentSpanId());
      assertEquals(503L, backoff.getAttributes().get(TracedCall.HTTP_RESPONSE_STATUS_CODE));
      assertEquals("service_unavailable", backoff.getAttributes().get(TracedCall.WAIT_CAUSE));
      assertTrue(backoff.getStartEpochNanos() >= attempts.get(i).getEndEpochNanos(), trace);
      assertTrue(backoff.getEndEpochNanos() <= attempts.get(i + 1).getStartEpochNanos(), trace);
    }

    // Each attempt went out with its own span's traceparent.
    Set<String> sent = traceparents();
    Set<String> expected = attempts.stream()
        .map(AssignrTracingTest::traceparent).collect(Collectors.toSet());
    assertEquals(expected, sent);
    assertNoCredential(spans);
  }

  @Test
  void withOkHttpsOwnInstrumentationEachAttemptIsStillOneClientSpanWithItsResendCount() throws Exception {
    sim.script().serviceUnavailable(2);
    AssignrResilience r = resilience(AssignrTracing.builder(otel).clientInstrumented(true).build());
    // The user's stack: OpenTelemetry's OkHttp instrumentation around a client that retries through the library.
    Call.Factory calls = OkHttpTelemetry.create(otel)
        .createCallFactory(AssignrInterceptor.configure(new OkHttpClient.Builder(), r).build());

    try (Response response = calls.newCall(new Request.Builder().url(base + PATH)
        .header("Authorization", TOKEN).build()).execute()) {
      assertEquals(200, response.code());
    }

    List<SpanData> spans = exporter.getFinishedSpanItems();
    String trace = Traces.describe(spans);
    SpanData call = one(spans, "assignr GET");
    List<SpanData> attempts = client(spans);
    assertEquals(3, attempts.size(), "one CLIENT span per attempt, never two: " + trace);
    for (SpanData attempt : attempts) {
      assertEquals("io.opentelemetry.okhttp-3.0", attempt.getInstrumentationScopeInfo().getName(), trace);
      assertEquals(call.getSpanId(), attempt.getParentSpanId(), trace);
    }
    assertNull(resendCount(attempts.get(0)), trace);
    assertEquals(1L, resendCount(attempts.get(1)), trace);
    assertEquals(2L, resendCount(attempts.get(2)), trace);
    assertEquals(2, named(spans, "assignr backoff").size(), trace);
    // Propagated by the instrumentation: each attempt's own span, once.
    assertEquals(attempts.stream().map(AssignrTracingTest::traceparent)
        .collect(Collectors.toSet()), traceparents());
    assertNoCredential(spans);
  }

  @ParameterizedTest
  @EnumSource(value = Route.class, names = {"OKHTTP_INTERCEPTOR", "JDK_SEND", "JDK_SEND_ASYNC"})
  void aCallThatWaitedInTheGateShowsTheWaitAndAnAttemptSpanOfTheAttemptOnly(Route route) throws Exception {
    AssignrResilience r = resilience(AssignrTracing.create(otel));
    // Another call's 429 closes the quota's gate; that call gives up at once (its deadline is short).
    sim.script().next(1).respond(ScriptedResponse.status(429).header("X-Ratelimit-Reset-Seconds-Remaining", "4"));
    HttpClient jdk = AssignrHttpClient.wrap(HttpClient.newHttpClient(), r);
    assertEquals(429, jdk.send(HttpRequest.newBuilder(URI.create(base + PATH))
        .header("Authorization", TOKEN).timeout(Duration.ofSeconds(1)).build(), BodyHandlers.ofString()).statusCode());
    exporter.reset();
    int before = route.waits(time).size();

    assertEquals(200, route.get(r, base + PATH));

    List<SpanData> spans = exporter.getFinishedSpanItems();
    String trace = Traces.waterfall(spans, Duration.ofMillis(250));
    SpanData call = one(spans, "assignr GET");
    SpanData gate = one(spans, "assignr gate wait");
    SpanData attempt = one(client(spans), "GET");
    List<Duration> waits = route.waits(time);
    assertEquals(before + 1, waits.size(), trace);
    Duration waited = waits.get(waits.size() - 1);
    assertTrue(waited.compareTo(Duration.ofSeconds(4)) >= 0, "waited " + waited);
    assertEquals(waited, duration(gate), trace);
    assertEquals("rate_limit_gate", gate.getAttributes().get(TracedCall.WAIT_CAUSE));
    assertNotNull(gate.getAttributes().get(TracedCall.QUOTA), trace);
    assertNotNull(gate.getAttributes().get(TracedCall.WAIT_UNTIL), trace);
    assertEquals(call.getSpanId(), gate.getParentSpanId());
    // The attempt's span starts when the wait ends: it lasts the attempt, not the wait.
    assertTrue(attempt.getStartEpochNanos() >= gate.getEndEpochNanos(), trace);
    assertTrue(duration(attempt).compareTo(waited) < 0, trace);
    assertNull(resendCount(attempt));
    assertTrue(duration(call).compareTo(waited) >= 0, trace);
    assertNoCredential(spans);
  }

  @Test
  void aCallThatGivesUpSaysWhyOnItsSpan() throws Exception {
    sim.script().serviceUnavailable(50);
    AssignrResilience r = AssignrResilience.builder().timeSource(time).random(() -> 0.0)
        .allowInsecureLoopback(true).throwOnFailure(true).observer(AssignrTracing.create(otel)).build();

    assertThrows(AssignrException.class, () -> Route.JDK_SEND.get(r, base + PATH));

    List<SpanData> spans = exporter.getFinishedSpanItems();
    SpanData call = one(spans, "assignr GET");
    int sent = sim.journal().count();
    assertEquals(sent, client(spans).size(), Traces.describe(spans));
    assertEquals((long) sent, call.getAttributes().get(TracedCall.ATTEMPTS));
    assertEquals(StatusCode.ERROR, call.getStatus().getStatusCode());
    assertEquals("attempts_exhausted", call.getAttributes().get(TracedCall.GIVE_UP_REASON));
    assertEquals("503", call.getAttributes().get(TracedCall.ERROR_TYPE));
    assertEquals(sent - 1, named(spans, "assignr backoff").size());
    assertNoCredential(spans);
  }

  /** An Error thrown below the library while an attempt is sent. */
  static final class Boom extends Error {
    private static final long serialVersionUID = 1L;

    Boom() {
      super("boom", null, false, false);
    }
  }

  @Test
  void anAttemptThatThrowsAnErrorLeavesNoSpanOpen() throws Exception {
    sim.script().serviceUnavailable(1);
    Boom boom = new Boom();
    int[] sent = {0};
    OkHttpClient client = AssignrInterceptor.configure(new OkHttpClient.Builder(), resilience(AssignrTracing.create(otel)))
        .addInterceptor(chain -> {
          if (++sent[0] == 2) throw boom; // the retry of the 503 never answers
          return chain.proceed(chain.request());
        }).build();
    Call call = client.newCall(new Request.Builder().url(base + PATH).header("Authorization", TOKEN).build());

    assertSame(boom, assertThrows(Boom.class, call::execute));

    // Every span the library started was ended (and so exported): the call's, both attempts', the backoff.
    List<SpanData> spans = exporter.getFinishedSpanItems();
    String trace = Traces.waterfall(spans, Duration.ofMillis(100));
    SpanData callSpan = one(spans, "assignr GET");
    List<SpanData> attempts = client(spans);
    assertEquals(2, attempts.size(), trace);
    assertEquals(Boom.class.getName(), attempts.get(1).getAttributes().get(TracedCall.ERROR_TYPE), trace);
    assertEquals(StatusCode.ERROR, attempts.get(1).getStatus().getStatusCode(), trace);
    assertEquals(callSpan.getSpanId(), attempts.get(1).getParentSpanId(), trace);
    assertEquals(2L, callSpan.getAttributes().get(TracedCall.ATTEMPTS), trace);
    assertEquals(StatusCode.ERROR, callSpan.getStatus().getStatusCode(), trace);
    assertEquals(1, named(spans, "assignr backoff").size(), trace);
    assertEquals(4, spans.size(), trace);
    assertNoCredential(spans);
  }

  /** How long {@link SlowTokens} takes to obtain a token, on the virtual clock. */
  static final Duration TOKEN_WAIT = Duration.ofMillis(1700);

  /** Credentials the library manages whose every token arrives {@link #TOKEN_WAIT} after it is asked for. */
  final class SlowTokens implements Authorizer {
    final List<String> asked = new CopyOnWriteArrayList<>();

    @Override public String authorization(long maxWaitNanos, CancellationSignal cancellation) throws IOException {
      asked.add("sync");
      try {
        time.sleep(TOKEN_WAIT.toNanos(), cancellation);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new java.io.InterruptedIOException("interrupted");
      }
      return TOKEN;
    }

    @Override public CompletableFuture<String> authorizationAsync(long maxWaitNanos) {
      asked.add("async");
      CompletableFuture<String> token = new CompletableFuture<>();
      time.schedule(() -> token.complete(TOKEN), TOKEN_WAIT.toNanos());
      return token;
    }

    @Override public boolean invalidate(String authorizationThatGot401) {
      return false;
    }

    @Override public String quotaKey() {
      return "test-client";
    }

    @Override public com.assignr.resilience.TimeSource timeSource() {
      return time;
    }
  }

  @ParameterizedTest
  @EnumSource(value = Route.class, names = {"JDK_SEND", "JDK_SEND_ASYNC"})
  void aWaitForTheTokenIsItsOwnSpanUnderTheCallWithItsDurationAndNoTokenInIt(Route route) throws Exception {
    SlowTokens tokens = new SlowTokens();
    AssignrResilience r = AssignrResilience.builder().timeSource(time).random(() -> 0.0).allowInsecureLoopback(true)
        .credentials(tokens).observer(AssignrTracing.create(otel)).build();
    HttpClient client = AssignrHttpClient.wrap(HttpClient.newHttpClient(), r);
    HttpRequest request = HttpRequest.newBuilder(URI.create(base + PATH)).build(); // no Authorization: the library adds it

    int status = route == Route.JDK_SEND ? client.send(request, BodyHandlers.ofString()).statusCode()
        : client.sendAsync(request, BodyHandlers.ofString()).get(30, TimeUnit.SECONDS).statusCode();

    assertEquals(200, status);
    assertEquals(List.of(route == Route.JDK_SEND ? "sync" : "async"), tokens.asked);
    List<SpanData> spans = exporter.getFinishedSpanItems();
    String trace = Traces.waterfall(spans, Duration.ofMillis(100));
    SpanData call = one(spans, "assignr GET");
    SpanData token = one(spans, "assignr token");
    SpanData attempt = client(spans).get(0);
    assertEquals(1, client(spans).size(), trace);
    assertEquals(call.getSpanId(), token.getParentSpanId(), trace);
    assertEquals(call.getTraceId(), token.getTraceId(), trace);
    assertEquals(TOKEN_WAIT, duration(token), trace);
    assertEquals("access_token", token.getAttributes().get(TracedCall.WAIT_CAUSE));
    assertEquals(1L, token.getAttributes().get(TracedCall.ATTEMPT));
    // The wait precedes the attempt, within the call: the attempt's span does not include it.
    assertTrue(token.getStartEpochNanos() >= call.getStartEpochNanos(), trace);
    assertTrue(attempt.getStartEpochNanos() >= token.getEndEpochNanos(), trace);
    assertTrue(duration(call).compareTo(TOKEN_WAIT) >= 0, trace);
    assertNoCredential(spans);
  }

  @ParameterizedTest
  @EnumSource(Route.class)
  void withoutAnObserverNothingIsTracedOrPropagated(Route route) throws Exception {
    sim.script().serviceUnavailable(1);
    assertEquals(200, route.get(resilience(CallObserver.NONE), base + PATH));
    assertTrue(exporter.getFinishedSpanItems().isEmpty());
    assertEquals(List.of("", ""), received);
  }

  static String traceparent(SpanData s) {
    return "00-" + s.getTraceId() + "-" + s.getSpanId() + "-" + s.getSpanContext().getTraceFlags().asHex();
  }

  /** The traceparent headers the server received. */
  Set<String> traceparents() {
    assertFalse(received.contains(""), "every request carried one: " + received);
    return Set.copyOf(received);
  }

  static void assertNoCredential(List<SpanData> spans) {
    for (SpanData s : spans) {
      String all = s.getName() + " " + s.getAttributes() + " " + s.getEvents() + " " + s.getStatus();
      assertFalse(all.contains("s3cret") || all.contains("Bearer") || all.contains("Authorization"), all);
      // The library's own spans carry no path (an id's cardinality); the user's instrumentation's may.
      if (!s.getInstrumentationScopeInfo().getName().equals(AssignrTracing.INSTRUMENTATION_NAME)) continue;
      s.getAttributes().forEach((k, v) -> assertFalse(String.valueOf(v).contains("/sites/1"),
          "no raw path in " + k.getKey()));
      assertNull(s.getAttributes().get(AttributeKey.stringKey("url.full")));
    }
  }
}
