package com.assignr.resilience;

import com.assignr.resilience.internal.Backoff;
import com.assignr.resilience.internal.RateLimitHeaders;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.DoubleSupplier;

/**
 * The pure decision function: given a request, the attempt number, how long is left before the
 * deadline and how the attempt ended, it answers <em>retry after D</em> or <em>stop, because
 * R</em>. It never sleeps and does no I/O; callers MUST wait for the delay it returns.
 *
 * <h2>How long to wait, and why</h2>
 *
 * <ul>
 *   <li><b>429</b>: until the binding window resets, as the headers mean it ({@link
 *       RateLimitHeaders} owns that rule): the first <em>plausible</em> (at most 3660 s) of {@code
 *       X-Ratelimit-Reset-Seconds-Remaining} (a delta, immune to clock skew), {@code
 *       X-Ratelimit-Reset} minus the response's own {@code Date}, and {@code Retry-After}; with no
 *       usable header, ordinary backoff; when every usable header names a reset no Assignr window
 *       can have (10<sup>9</sup> s), give up at once with that instant. To the reset we add {@code rateLimitMargin} (Assignr
 *       rounds seconds down, so "35" can mean 35.9 s) and a <em>positive-only</em> jitter drawn
 *       from [0, {@code rateLimitJitter}): a retry must never land before the reset, and callers
 *       refused together must not return together. Example with the defaults: "35" waits between
 *       36 s and 37 s.
 *   <li><b>503, 5xx, I/O</b>: exponential backoff {@code initialBackoff × multiplier^(n-1)},
 *       capped at {@code maxBackoff}, with its top {@code backoffJitter} fraction randomised
 *       downwards (500 ms, 1 s, 2 s… each drawn from [½×, 1×] by default). A {@code Retry-After}
 *       sent with it is a floor: the delay is the larger of the two.
 *   <li><b>Caps</b>: when the server's wait (plus margin) exceeds {@code maxServerWait}, or the
 *       least acceptable wait would pass the deadline, stop at once and report the instant at
 *       which a retry would succeed. Never sleep into a timeout, never retry early.
 * </ul>
 *
 * <p>Every random draw comes from the {@link DoubleSupplier} given at construction, so tests pin
 * the jitter at its minimum (0.0) and maximum (just below 1.0).
 */
final class RetryEngine {
  private static final Decision.Stop SUCCEEDED =
      new Decision.Stop(StopReason.SUCCEEDED, Classification.SUCCESS, null);

  private final RetryPolicy policy;
  private final Clock clock;
  private final DoubleSupplier random;
  private final long marginNanos;
  private final long rateLimitJitterNanos;
  private final long capNanos;
  private final Backoff backoff;

  private RetryEngine(RetryPolicy policy, Clock clock, DoubleSupplier random) {
    this.policy = Objects.requireNonNull(policy, "policy");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.random = Objects.requireNonNull(random, "random");
    this.marginNanos = policy.rateLimitMargin().toNanos();
    this.rateLimitJitterNanos = policy.rateLimitJitter().toNanos();
    this.capNanos = policy.maxServerWait().toNanos();
    this.backoff = Backoff.of(policy.initialBackoff(), policy.maxBackoff(), policy.backoffMultiplier(),
        policy.backoffJitter());
  }

  /**
   * An engine for {@code policy}.
   *
   * @param clock the wall clock, read only to express a give-up's retry instant
   * @param random uniform draws in [0, 1) for jitter
   */
  public static RetryEngine create(RetryPolicy policy, Clock clock, DoubleSupplier random) {
    return new RetryEngine(policy, clock, random);
  }

  public RetryPolicy policy() {
    return policy;
  }

  /**
   * Decides what to do after attempt number {@code attempt} (1-based) ended with {@code outcome}.
   *
   * @param nanosUntilDeadline time left before the call's deadline, or {@link Long#MAX_VALUE}
   */
  public Decision decide(RequestInfo request, int attempt, Outcome outcome, long nanosUntilDeadline) {
    return decide(request, attempt, outcome, nanosUntilDeadline, false);
  }

  /**
   * {@link #decide(RequestInfo, int, Outcome, long)}, knowing whether the credentials were just
   * renewed after this attempt's 401: a 401 means Assignr did not act on the request, so with a
   * fresh token it is sent once more at once, for every method (a one-shot body excepted).
   *
   * @param credentialsRenewed whether the library dropped the token this 401 answered, once per call
   */
  public Decision decide(RequestInfo request, int attempt, Outcome outcome, long nanosUntilDeadline,
      boolean credentialsRenewed) {
    Classification cls = outcome.classification();
    if (cls == Classification.SUCCESS) return SUCCEEDED;
    if (cls == Classification.CANCELLED) return stop(StopReason.CANCELLED, cls, -1);
    if (credentialsRenewed && cls == Classification.UNAUTHORIZED) {
      if (!request.replayableBody()) return stop(StopReason.BODY_NOT_REPLAYABLE, cls, -1);
      if (attempt >= policy.maxAttempts()) return stop(StopReason.ATTEMPTS_EXHAUSTED, cls, -1);
      if (nanosUntilDeadline <= 0) return stop(StopReason.DEADLINE_EXCEEDED, cls, -1);
      return new Decision.Retry(Duration.ZERO, cls, false);
    }

    RetryRule rule = policy.ruleFor(outcome.status(), cls);
    // What the server asked for: a wait in whole seconds (+ the margin after a 429's reset), or -1.
    long serverSeconds = -1;
    long extraNanos = 0;
    boolean implausible = false; // a 429 whose every usable reset is beyond any Assignr window
    if (outcome.isResponse() && outcome.rateLimit().isPresent()) {
      if (cls == Classification.RATE_LIMITED) {
        RateLimitHeaders.Meaning meaning = outcome.rateLimit().meaning(true, clock);
        serverSeconds = meaning.seconds();
        extraNanos = marginNanos;
        implausible = meaning.kind() == RateLimitHeaders.Kind.GIVE_UP;
      } else {
        serverSeconds = outcome.rateLimit().retryAfterSeconds(clock);
      }
    }
    Instant retryAt = serverSeconds < 0 ? null : retryAt(serverSeconds, extraNanos);
    if (rule == RetryRule.NEVER) return new Decision.Stop(StopReason.NOT_RETRYABLE, cls, retryAt);
    if (rule == RetryRule.IDEMPOTENT
        && !policy.retryNonIdempotent()
        && !policy.isIdempotent(request.method())) {
      return new Decision.Stop(StopReason.NOT_IDEMPOTENT, cls, retryAt);
    }
    if (!request.replayableBody()) return new Decision.Stop(StopReason.BODY_NOT_REPLAYABLE, cls, retryAt);
    if (attempt >= policy.maxAttempts()) return new Decision.Stop(StopReason.ATTEMPTS_EXHAUSTED, cls, retryAt);

    boolean serverDirected = serverSeconds >= 0;
    // Seconds past the cap (a day at most) need no exact nanos: any such wait gives up below.
    long serverWait = !serverDirected ? -1
        : serverSeconds > capNanos / 1_000_000_000L ? Long.MAX_VALUE : serverSeconds * 1_000_000_000L + extraNanos;
    if (implausible || serverWait > capNanos) return new Decision.Stop(StopReason.WAIT_EXCEEDS_CAP, cls, retryAt);
    long least; // the shortest acceptable delay: never retry before this
    long delay;
    if (cls == Classification.RATE_LIMITED && serverDirected) {
      least = serverWait;
      long jitter = (long) (random.getAsDouble() * rateLimitJitterNanos);
      delay = Math.min(least + jitter, Math.max(capNanos, least));
    } else {
      long backoff = backoffNanos(attempt);
      least = serverDirected ? serverWait : 0;
      delay = Math.max(backoff, least);
    }
    if (delay >= nanosUntilDeadline) {
      return stop(StopReason.DEADLINE_EXCEEDED, cls, serverDirected ? least : -1);
    }
    return new Decision.Retry(Duration.ofNanos(delay), cls, serverDirected);
  }

  /**
   * The longest wait in the rate-limit gate that a call with {@code nanosUntilDeadline} left will
   * accept: the cap on server-directed waits, and less than the time left. A gate asked with this
   * limit hands a place in its release order only to callers that will wait.
   *
   * @param nanosUntilDeadline time left before the call's deadline, or {@link Long#MAX_VALUE}
   * @return nanoseconds
   */
  public long gateWaitLimit(long nanosUntilDeadline) {
    return Math.min(capNanos, nanosUntilDeadline - 1);
  }

  /**
   * Decides on a wait the rate-limit gate asks for before attempt {@code attempt}: the same rule
   * as for a 429's wait, so no caller waits past the cap or the deadline.
   *
   * @param waitNanos how long the gate asks this caller to wait
   * @param nanosUntilDeadline time left before the call's deadline, or {@link Long#MAX_VALUE}
   * @return null to wait, or the stop (with the instant the wait would end as {@code retryAt})
   */
  public Decision.Stop decideGateWait(long waitNanos, long nanosUntilDeadline) {
    if (waitNanos > capNanos) return stop(StopReason.WAIT_EXCEEDS_CAP, Classification.RATE_LIMITED, waitNanos);
    if (waitNanos >= nanosUntilDeadline) {
      return stop(StopReason.DEADLINE_EXCEEDED, Classification.RATE_LIMITED, waitNanos);
    }
    return null;
  }

  /**
   * Checks again, just before waiting, a retry decided earlier (time may have passed since, for
   * example while a discarded body drained): a delay that would now pass the deadline stops.
   *
   * @param retry the earlier decision
   * @param nanosUntilDeadline time left now
   * @return {@code retry}, or the stop
   */
  public Decision recheck(Decision.Retry retry, long nanosUntilDeadline) {
    if (retry.delay().toNanos() < nanosUntilDeadline) return retry;
    return new Decision.Stop(StopReason.DEADLINE_EXCEEDED, retry.cause(), null);
  }

  /** Capped exponential backoff for attempt {@code n}, its top jitter fraction randomised down. */
  long backoffNanos(int attempt) {
    return backoff.delayNanos(attempt, random.getAsDouble());
  }

  /**
   * The instant a retry would succeed, {@code seconds} (and {@code extraNanos}) from now; null
   * when no {@link Instant} holds it (a well-formed 10<sup>18</sup> s on a 503).
   */
  private Instant retryAt(long seconds, long extraNanos) {
    try {
      return clock.instant().plusSeconds(seconds).plusNanos(extraNanos);
    } catch (java.time.DateTimeException | ArithmeticException e) {
      return null;
    }
  }

  private Decision.Stop stop(StopReason reason, Classification cls, long serverWaitNanos) {
    Instant retryAt = serverWaitNanos < 0 ? null : clock.instant().plusNanos(serverWaitNanos);
    return new Decision.Stop(reason, cls, retryAt);
  }
}
