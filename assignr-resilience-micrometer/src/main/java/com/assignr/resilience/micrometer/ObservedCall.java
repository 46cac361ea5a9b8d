package com.assignr.resilience.micrometer;

import com.assignr.resilience.Decision;
import com.assignr.resilience.Outcome;
import com.assignr.resilience.RequestInfo;
import com.assignr.resilience.spi.CallObservation;
import com.assignr.resilience.spi.RateLimitGate;
import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.RequestReplySenderContext;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One call's observations. The executor calls in order, one at a time; synchronized anyway, as an
 * async call's cancellation may end it while an attempt completes. A wait's observation is
 * stopped by whatever comes next (the next wait, attempt or the end): it lasts the wait as waited.
 */
final class ObservedCall implements CallObservation {
  private final ObservationRegistry registry;
  private final RequestInfo request;
  private final Observation call;
  private Observation attempt;
  private RequestReplySenderContext<Map<String, String>, Integer> attemptContext;
  private Observation wait;
  private boolean ended;

  ObservedCall(ObservationRegistry registry, RequestInfo request) {
    this.registry = registry;
    this.request = request;
    this.call = http(Observation.createNotStarted(AssignrObservations.CALL, registry))
        .contextualName("assignr " + request.method())
        .parentObservation(registry.getCurrentObservation())
        .start();
  }

  private Observation http(Observation o) {
    return o.lowCardinalityKeyValue("http.request.method", request.method())
        .lowCardinalityKeyValue("server.address", request.host());
  }

  @Override
  public synchronized Scope attemptStarted(int number) {
    stopWait();
    RequestReplySenderContext<Map<String, String>, Integer> context =
        new RequestReplySenderContext<>(Map::put, Kind.CLIENT);
    context.setCarrier(new HashMap<>(4));
    context.setRemoteServiceName(request.host());
    Observation o = http(Observation.createNotStarted(AssignrObservations.ATTEMPT, () -> context, registry))
        .contextualName(request.method())
        .parentObservation(call);
    if (number > 1) o.highCardinalityKeyValue("http.request.resend_count", Integer.toString(number - 1));
    // Started with the call's scope open: a tracing handler may take the current span as the
    // parent rather than the parent observation's (it does under Spring's RestClient observation).
    Observation.Scope callScope = call.openScope();
    attempt = o.start();
    attemptContext = context;
    Observation.Scope scope = attempt.openScope();
    return () -> {
      scope.close();
      callScope.close();
    };
  }

  @Override
  public synchronized Map<String, String> propagationHeaders() {
    return attemptContext == null ? Map.of() : attemptContext.getCarrier();
  }

  @Override
  public synchronized void attemptEnded(int number, Outcome outcome) {
    Observation o = attempt;
    attempt = null;
    if (o == null) return;
    if (outcome.isResponse()) {
      attemptContext.setResponse(outcome.status());
      o.lowCardinalityKeyValue("http.response.status_code", Integer.toString(outcome.status()));
      o.lowCardinalityKeyValue("outcome", outcome.classification().name().toLowerCase(Locale.ROOT));
      if (outcome.status() >= 400) o.lowCardinalityKeyValue("error.type", Integer.toString(outcome.status()));
    } else {
      o.lowCardinalityKeyValue("http.response.status_code", "0");
      o.lowCardinalityKeyValue("outcome", outcome.classification().name().toLowerCase(Locale.ROOT));
      o.lowCardinalityKeyValue("error.type", outcome.failure().getClass().getName());
      o.error(outcome.failure());
    }
    attemptContext = null;
    o.stop();
  }

  @Override
  public synchronized void gateWait(int nextAttempt, RateLimitGate gate, Duration wait) {
    startWait("assignr gate wait", "rate_limit_gate")
        .highCardinalityKeyValue("assignr.quota", gate.quotaKey())
        .highCardinalityKeyValue("assignr.wait.planned_seconds", seconds(wait))
        .highCardinalityKeyValue("assignr.attempt", Integer.toString(nextAttempt));
    startInCall(this.wait);
  }

  @Override
  public synchronized void retryScheduled(int attempt, Outcome after, Decision.Retry retry) {
    startWait("assignr backoff", retry.cause().name().toLowerCase(Locale.ROOT))
        .highCardinalityKeyValue("assignr.wait.planned_seconds", seconds(retry.delay()))
        .highCardinalityKeyValue("assignr.attempt", Integer.toString(attempt))
        .highCardinalityKeyValue("http.response.status_code", Integer.toString(after.status()));
    startInCall(this.wait);
  }

  @Override
  public synchronized void tokenObtained(int nextAttempt, Duration waited) {
    if (waited.isZero()) return;
    call.event(Observation.Event.of("assignr.token", "assignr token " + waited.toMillis() + " ms"));
  }

  @Override
  public synchronized void ended(int attempts, Decision.Stop stop, Outcome last) {
    if (ended) return;
    ended = true;
    stopWait();
    if (attempt != null) attemptEnded(attempts, last);
    call.highCardinalityKeyValue("assignr.attempts", Integer.toString(attempts));
    call.lowCardinalityKeyValue(KeyValue.of("outcome", stop.succeeded() ? "success"
        : stop.reason().name().toLowerCase(Locale.ROOT)));
    if (!stop.succeeded()) {
      call.lowCardinalityKeyValue("error.type", last.isResponse() && last.status() > 0
          ? Integer.toString(last.status()) : last.classification().name().toLowerCase(Locale.ROOT));
      call.error(last.failure() != null ? last.failure() : new GaveUp(stop));
    }
    call.stop();
  }

  private Observation startWait(String contextualName, String cause) {
    stopWait();
    wait = Observation.createNotStarted(AssignrObservations.WAIT, registry)
        .contextualName(contextualName)
        .parentObservation(call)
        .lowCardinalityKeyValue("assignr.wait.cause", cause);
    return wait;
  }

  /** Starts {@code o} with the call current (see {@link #attemptStarted}). */
  private void startInCall(Observation o) {
    try (Observation.Scope ignored = call.openScope()) {
      o.start();
    }
  }

  private void stopWait() {
    Observation w = wait;
    wait = null;
    if (w != null) w.stop();
  }

  private static String seconds(Duration d) {
    return Double.toString(d.toNanos() / 1e9);
  }

  /** What a give-up records as the call's error: the stop reason, without a stack. */
  static final class GaveUp extends RuntimeException {
    private static final long serialVersionUID = 1L;

    GaveUp(Decision.Stop stop) {
      super(stop.reason().description(), null, false, false);
    }
  }
}
