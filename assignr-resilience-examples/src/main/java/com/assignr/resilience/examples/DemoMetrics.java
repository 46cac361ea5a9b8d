package com.assignr.resilience.examples;

import com.assignr.resilience.Classification;
import com.assignr.resilience.Decision;
import com.assignr.resilience.Outcome;
import com.assignr.resilience.RateLimitInfo;
import com.assignr.resilience.RequestInfo;
import com.assignr.resilience.RetryListener;
import com.assignr.resilience.TimeSource;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts what the library did during one run, from its {@link RetryListener} events only: the demo
 * never looks inside the adapters. Everything here is what a team would export as metrics.
 *
 * <p>"Requests" are attempts that were sent (one {@code onOutcome} each), so a request retried
 * twice counts three times, as it does at the server.
 */
final class DemoMetrics implements RetryListener {
  private final LongAdder requests = new LongAdder();
  private final LongAdder rateLimited = new LongAdder();
  private final Map<Classification, LongAdder> retriesByCause = new EnumMap<>(Classification.class);
  private final LongAdder retryDelayNanos = new LongAdder();
  private final LongAdder gateWaits = new LongAdder();
  private final LongAdder gateWaitNanos = new LongAdder();
  private final LongAdder gateClosures = new LongAdder();
  private final LongAdder gateClosedNanos = new LongAdder();
  private final LongAdder giveUps = new LongAdder();
  private final AtomicInteger inFlight = new AtomicInteger();
  /** Nano time until which the gate said it is closed; 0 when open. */
  private final AtomicLong gateClosedUntil = new AtomicLong();
  private final AtomicReference<String> gateReason = new AtomicReference<>("");
  private final AtomicReference<RateLimitInfo> lastRateLimit = new AtomicReference<>(RateLimitInfo.none());

  private final TimeSource time;

  DemoMetrics(TimeSource time) {
    this.time = time;
    for (Classification c : Classification.values()) {
      retriesByCause.put(c, new LongAdder());
    }
  }

  @Override
  public void onAttempt(RequestInfo request, int attempt) {
    inFlight.incrementAndGet();
  }

  @Override
  public void onOutcome(RequestInfo request, int attempt, Outcome outcome) {
    inFlight.decrementAndGet();
    requests.increment();
    if (outcome.status() == 429) rateLimited.increment();
  }

  @Override
  public void onRetryScheduled(RequestInfo request, int attempt, Decision.Retry decision) {
    retriesByCause.get(decision.cause()).increment();
    retryDelayNanos.add(decision.delay().toNanos());
  }

  @Override
  public void onGateWait(RequestInfo request, int attempt, Duration wait) {
    gateWaits.increment();
    gateWaitNanos.add(wait.toNanos());
  }

  @Override
  public void onRateLimitObserved(String quotaKey, RateLimitInfo info) {
    lastRateLimit.set(info);
  }

  @Override
  public void onGateClosed(String quotaKey, Duration closedFor, String reason) {
    gateClosures.increment();
    gateClosedNanos.add(closedFor.toNanos());
    gateReason.set(reason);
    gateClosedUntil.set(time.nanoTime() + closedFor.toNanos());
  }

  @Override
  public void onGateOpened(String quotaKey) {
    gateClosedUntil.set(0);
  }

  @Override
  public void onGiveUp(RequestInfo request, int attempts, Duration elapsed, Decision.Stop stop, Outcome last) {
    giveUps.increment();
  }

  long requests() { return requests.sum(); }
  long rateLimited() { return rateLimited.sum(); }
  long retries(Classification cause) { return retriesByCause.get(cause).sum(); }

  long retries() {
    return retriesByCause.values().stream().mapToLong(LongAdder::sum).sum();
  }

  /** Retries of every cause that happened at least once, in the enum's order. */
  Map<Classification, Long> retriesByCause() {
    Map<Classification, Long> out = new EnumMap<>(Classification.class);
    retriesByCause.forEach((c, n) -> {
      if (n.sum() > 0) out.put(c, n.sum());
    });
    return out;
  }

  Duration retryDelay() { return Duration.ofNanos(retryDelayNanos.sum()); }
  long gateWaits() { return gateWaits.sum(); }
  /** Time callers spent waiting in the gate, summed over callers. */
  Duration gateWait() { return Duration.ofNanos(gateWaitNanos.sum()); }
  long gateClosures() { return gateClosures.sum(); }
  /** How long the gate said it would stay closed, summed over closures. */
  Duration gateClosed() { return Duration.ofNanos(gateClosedNanos.sum()); }
  /** Outcomes the library gave up on (4xx included: a 409 is a give-up too). */
  long giveUps() { return giveUps.sum(); }
  int inFlight() { return Math.max(0, inFlight.get()); }
  RateLimitInfo lastRateLimit() { return lastRateLimit.get(); }

  /** The gate as last reported: "open", or "shut 3.2s" (by the reserve) / "429 3.2s" (by a 429). */
  String gateState() {
    long until = gateClosedUntil.get();
    long left = until - time.nanoTime();
    if (until == 0 || left <= 0) return "open";
    return String.format("%s %.1fs", gateReason.get().startsWith("429") ? "429" : "shut", left / 1e9);
  }
}
