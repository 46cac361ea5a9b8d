package com.assignr.resilience.opentelemetry;

import com.assignr.resilience.Decision;
import com.assignr.resilience.GateState;
import com.assignr.resilience.Outcome;
import com.assignr.resilience.RequestInfo;
import com.assignr.resilience.TimeSource;
import com.assignr.resilience.spi.CallObservation;
import com.assignr.resilience.spi.RateLimitGate;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One call's spans. The executor calls its methods in order, one at a time; they are synchronized
 * anyway, as an async call's cancellation may end it while an attempt completes.
 *
 * <p>A wait's span is opened when the wait is decided and closed by whatever comes next (another
 * wait, the next attempt, the end): so it lasts the wait as it was waited, not as it was planned.
 */
final class TracedCall implements CallObservation {
  // The HTTP semantic conventions' stable names (semconv 1.2x), written out: no alpha dependency.
  static final AttributeKey<String> HTTP_REQUEST_METHOD = AttributeKey.stringKey("http.request.method");
  static final AttributeKey<Long> HTTP_RESPONSE_STATUS_CODE = AttributeKey.longKey("http.response.status_code");
  static final AttributeKey<Long> HTTP_REQUEST_RESEND_COUNT = AttributeKey.longKey("http.request.resend_count");
  static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
  static final AttributeKey<String> URL_SCHEME = AttributeKey.stringKey("url.scheme");
  static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
  // The library's own.
  static final AttributeKey<Long> ATTEMPTS = AttributeKey.longKey("assignr.attempts");
  static final AttributeKey<String> GIVE_UP_REASON = AttributeKey.stringKey("assignr.give_up.reason");
  static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("assignr.attempt");
  static final AttributeKey<String> WAIT_CAUSE = AttributeKey.stringKey("assignr.wait.cause");
  static final AttributeKey<Double> WAIT_SECONDS = AttributeKey.doubleKey("assignr.wait.planned_seconds");
  static final AttributeKey<String> WAIT_UNTIL = AttributeKey.stringKey("assignr.wait.until");
  static final AttributeKey<Boolean> SERVER_DIRECTED = AttributeKey.booleanKey("assignr.wait.server_directed");
  static final AttributeKey<String> QUOTA = AttributeKey.stringKey("assignr.quota");
  static final AttributeKey<String> WINDOW = AttributeKey.stringKey("assignr.rate_limit.window");

  private final AssignrTracing tracing;
  private final RequestInfo request;
  private final TimeSource time;
  private final Span call;
  /** The context attempts are sent in: the call span's, with the shared resend count when instrumented. */
  private final Context callContext;
  private final boolean recording;
  private Span attempt;
  private Context attemptContext;
  private Span wait;
  private boolean ended;

  TracedCall(AssignrTracing tracing, RequestInfo request, TimeSource time) {
    this.tracing = tracing;
    this.request = request;
    this.time = time;
    Context parent = Context.current();
    SpanBuilder b = tracing.tracer.spanBuilder("assignr " + request.method())
        .setParent(parent)
        .setSpanKind(SpanKind.INTERNAL);
    this.call = http(b).setStartTimestamp(now(), TimeUnit.NANOSECONDS).startSpan();
    this.recording = call.isRecording();
    Context context = parent.with(call);
    this.callContext = tracing.clientInstrumented ? ResendCounts.initialize(context) : context;
  }

  private SpanBuilder http(SpanBuilder b) {
    return b.setAttribute(HTTP_REQUEST_METHOD, request.method())
        .setAttribute(SERVER_ADDRESS, request.host())
        .setAttribute(URL_SCHEME, request.scheme());
  }

  /** The time source's wall clock, in epoch nanoseconds. */
  private long now() {
    Instant i = time.clock().instant();
    return TimeUnit.SECONDS.toNanos(i.getEpochSecond()) + i.getNano();
  }

  @Override
  public synchronized Scope attemptStarted(int number) {
    long now = now();
    endWait(now);
    if (tracing.clientInstrumented) {
      attemptContext = callContext;
    } else {
      SpanBuilder b = http(tracing.tracer.spanBuilder(request.method())
          .setParent(callContext)
          .setSpanKind(SpanKind.CLIENT))
          .setStartTimestamp(now, TimeUnit.NANOSECONDS);
      if (number > 1) b.setAttribute(HTTP_REQUEST_RESEND_COUNT, (long) (number - 1));
      attempt = b.startSpan();
      attemptContext = callContext.with(attempt);
    }
    io.opentelemetry.context.Scope scope = attemptContext.makeCurrent();
    return scope::close;
  }

  @Override
  public synchronized Map<String, String> propagationHeaders() {
    if (tracing.clientInstrumented || attemptContext == null) return Map.of();
    Map<String, String> headers = new HashMap<>(4);
    tracing.propagator.inject(attemptContext, headers, Map::put);
    return headers;
  }

  @Override
  public synchronized void attemptEnded(int number, Outcome outcome) {
    Span span = attempt;
    attempt = null;
    attemptContext = null;
    if (span == null) return;
    if (outcome.isResponse()) {
      span.setAttribute(HTTP_RESPONSE_STATUS_CODE, (long) outcome.status());
      // Per the conventions, a client span with a 4xx or 5xx status is an error.
      if (outcome.status() >= 400) {
        span.setAttribute(ERROR_TYPE, Integer.toString(outcome.status()));
        span.setStatus(StatusCode.ERROR);
      }
    } else {
      // The exception's class only: its message may quote a URL.
      span.setAttribute(ERROR_TYPE, outcome.failure().getClass().getName());
      span.setStatus(StatusCode.ERROR);
    }
    span.end(now(), TimeUnit.NANOSECONDS);
  }

  @Override
  public synchronized void gateWait(int nextAttempt, RateLimitGate gate, Duration wait) {
    long now = now();
    endWait(now);
    if (!recording) return;
    SpanBuilder b = waitSpan("assignr gate wait", now)
        .setAttribute(WAIT_CAUSE, "rate_limit_gate")
        .setAttribute(ATTEMPT, (long) nextAttempt)
        .setAttribute(WAIT_SECONDS, seconds(wait))
        .setAttribute(WAIT_UNTIL, time.clock().instant().plus(wait).toString())
        .setAttribute(QUOTA, gate.quotaKey());
    GateState state = gate.state();
    if (state.limit() > 0 && state.periodSeconds() > 0) {
      b.setAttribute(WINDOW, state.limit() + "/" + state.periodSeconds() + "s");
    }
    this.wait = b.startSpan();
  }

  @Override
  public synchronized void retryScheduled(int attempt, Outcome after, Decision.Retry retry) {
    long now = now();
    endWait(now);
    if (!recording) return;
    SpanBuilder b = waitSpan("assignr backoff", now)
        .setAttribute(WAIT_CAUSE, retry.cause().name().toLowerCase(Locale.ROOT))
        .setAttribute(ATTEMPT, (long) attempt)
        .setAttribute(WAIT_SECONDS, seconds(retry.delay()))
        .setAttribute(SERVER_DIRECTED, retry.serverDirected());
    if (after.isResponse()) b.setAttribute(HTTP_RESPONSE_STATUS_CODE, (long) after.status());
    else b.setAttribute(ERROR_TYPE, after.failure().getClass().getName());
    this.wait = b.startSpan();
  }

  @Override
  public synchronized void tokenObtained(int nextAttempt, Duration waited) {
    if (!recording || waited.isZero()) return;
    long now = now();
    long start = now - waited.toNanos();
    endWait(start);
    waitSpan("assignr token", start)
        .setAttribute(WAIT_CAUSE, "access_token")
        .setAttribute(ATTEMPT, (long) nextAttempt)
        .startSpan()
        .end(now, TimeUnit.NANOSECONDS);
  }

  @Override
  public synchronized void ended(int attempts, Decision.Stop stop, Outcome last) {
    if (ended) return;
    ended = true;
    long now = now();
    endWait(now);
    if (attempt != null) attemptEnded(attempts, last);
    call.setAttribute(ATTEMPTS, (long) attempts);
    if (!stop.succeeded()) {
      call.setAttribute(GIVE_UP_REASON, stop.reason().name().toLowerCase(Locale.ROOT));
      call.setAttribute(ERROR_TYPE, last.isResponse() && last.status() > 0
          ? Integer.toString(last.status()) : last.classification().name().toLowerCase(Locale.ROOT));
      call.setStatus(StatusCode.ERROR, stop.reason().description());
    }
    call.end(now, TimeUnit.NANOSECONDS);
  }

  private SpanBuilder waitSpan(String name, long start) {
    return tracing.tracer.spanBuilder(name)
        .setParent(callContext)
        .setSpanKind(SpanKind.INTERNAL)
        .setStartTimestamp(start, TimeUnit.NANOSECONDS);
  }

  private void endWait(long at) {
    Span w = wait;
    wait = null;
    if (w != null) w.end(at, TimeUnit.NANOSECONDS);
  }

  private static double seconds(Duration d) {
    return d.toNanos() / 1e9;
  }
}
