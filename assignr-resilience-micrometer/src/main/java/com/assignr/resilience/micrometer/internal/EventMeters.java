package com.assignr.resilience.micrometer.internal;

import com.assignr.resilience.Classification;
import com.assignr.resilience.StopReason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;

/**
 * The meters fed by per-call events, none tagged by quota. Each counter is registered on first
 * use and kept in an array slot, so the hot path (a success) is an array read and an increment.
 * Two threads may register the same slot at once; Micrometer returns the same meter to both.
 * Not for users.
 */
public final class EventMeters {
  public static final int SUCCESS_WITHOUT_RETRY = 0;
  public static final int SUCCESS_WITH_RETRY = 1;
  public static final int FAILED_WITHOUT_RETRY = 2;
  public static final int FAILED_WITH_RETRY = 3;
  private static final String[] OUTCOMES = {
      "successful_without_retry", "successful_with_retry", "failed_without_retry", "failed_with_retry"};
  /** The methods that get their own tag value; anything else is {@code other}. */
  private static final String[] METHODS = {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "other"};
  private static final String[] CAUSES = {"429", "503", "5xx", "io", "other"};

  private final MeterRegistry registry;
  private final Tags tags;
  private final Counter[][] calls = new Counter[METHODS.length][OUTCOMES.length];
  private final Counter[] retries = new Counter[CAUSES.length];
  private final Timer[] retryDelays = new Timer[CAUSES.length];
  private final Counter[][] giveUps = new Counter[StopReason.values().length][Classification.values().length];
  private final Counter rateLimited;
  private final Timer gateWait;
  private final Counter tokenRefreshed;
  private final Counter tokenRefreshFailed;

  public EventMeters(MeterRegistry registry, Tags tags) {
    this.registry = registry;
    this.tags = tags;
    this.rateLimited = Counter.builder("assignr.ratelimit.rejected").tags(tags)
        .description("429 Too Many Requests responses received").register(registry);
    this.gateWait = Timer.builder("assignr.gate.wait").tags(tags)
        .description("Waits in the rate-limit gate before an attempt, as decided").register(registry);
    this.tokenRefreshed = tokenCounter("success");
    this.tokenRefreshFailed = tokenCounter("failure");
  }

  private Counter tokenCounter(String result) {
    return Counter.builder("assignr.token.refreshes").tags(tags).tag("result", result)
        .description("Access tokens obtained, or attempts that failed").register(registry);
  }

  /** A call ended with {@code outcome} (one of the constants above). */
  public void callEnded(String method, int outcome) {
    int m = methodIndex(method);
    Counter c = calls[m][outcome];
    if (c == null) {
      c = Counter.builder("assignr.calls").tags(tags)
          .tag("method", METHODS[m]).tag("outcome", OUTCOMES[outcome])
          .description("Calls that ended, by outcome").register(registry);
      calls[m][outcome] = c;
    }
    c.increment();
  }

  public void rateLimited() {
    rateLimited.increment();
  }

  public void gateWait(Duration wait) {
    gateWait.record(wait);
  }

  public void retryScheduled(Classification cause, Duration delay) {
    int i = causeIndex(cause);
    Counter c = retries[i];
    if (c == null) {
      c = Counter.builder("assignr.retries").tags(tags).tag("cause", CAUSES[i])
          .description("Retries scheduled, by cause").register(registry);
      retries[i] = c;
    }
    c.increment();
    Timer t = retryDelays[i];
    if (t == null) {
      t = Timer.builder("assignr.retry.delay").tags(tags).tag("cause", CAUSES[i])
          .description("The wait before each retry, as decided").register(registry);
      retryDelays[i] = t;
    }
    t.record(delay);
  }

  public void gaveUp(StopReason reason, Classification last) {
    Counter c = giveUps[reason.ordinal()][last.ordinal()];
    if (c == null) {
      c = Counter.builder("assignr.giveups").tags(tags)
          .tag("reason", reason.name().toLowerCase(Locale.ROOT))
          .tag("classification", last.name().toLowerCase(Locale.ROOT))
          .description("Calls that ended without success, by stop reason and last outcome").register(registry);
      giveUps[reason.ordinal()][last.ordinal()] = c;
    }
    c.increment();
  }

  public void tokenRefreshed(boolean success) {
    (success ? tokenRefreshed : tokenRefreshFailed).increment();
  }

  /** The index of a method's tag value: a switch on the (upper-case) name, no allocation. */
  static int methodIndex(String method) {
    switch (method) {
      case "GET": return 0;
      case "POST": return 1;
      case "PUT": return 2;
      case "PATCH": return 3;
      case "DELETE": return 4;
      case "HEAD": return 5;
      case "OPTIONS": return 6;
      default: return 7;
    }
  }

  static int causeIndex(Classification cause) {
    switch (cause) {
      case RATE_LIMITED: return 0;
      case SERVICE_UNAVAILABLE: return 1;
      case SERVER_ERROR: return 2;
      case CONNECT_FAILURE:
      case IO_FAILURE: return 3;
      default: return 4;
    }
  }
}
