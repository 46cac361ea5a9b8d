package com.assignr.resilience;

import com.assignr.resilience.spi.AttemptContext;
import com.assignr.resilience.spi.CancellationSignal;

import com.assignr.resilience.internal.Backoff;
import com.assignr.resilience.internal.Checks;
import com.assignr.resilience.internal.Fingerprints;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.DoubleSupplier;

/**
 * The access token of one OAuth client, cached and kept fresh for every thread and call that uses
 * it. Build one per client id and share it.
 *
 * <pre>{@code
 * Credentials credentials = Credentials.builder(AssignrOAuth.clientCredentials(
 *         client, AssignrOAuth.ASSIGNR_TOKEN_URI, clientId, clientSecret, "read write"))
 *     .clientId(clientId)
 *     .build();
 * String authorization = credentials.authorization(TimeUnit.SECONDS.toNanos(30)); // "Bearer …"
 * }</pre>
 *
 * <h2>How is it designed, and why?</h2>
 *
 * <p><b>Nobody waits for a refresh they did not need.</b> A token fetched at {@code t} with {@code
 * expires_in} 7200 s is valid until {@code t + 7200 s}, counted from when it was <em>asked
 * for</em> (so a slow answer only makes it expire earlier in our eyes). It is refreshed in the
 * background at {@code expiry − refreshAhead} (5 min by default, plus up to half as much again of
 * random jitter so instances sharing a client id do not all ask at once, and never later than half
 * the lifetime): at 6,900–6,750 s for Assignr's tokens. Callers meanwhile keep getting the current
 * token from a volatile read, with no lock and no wait. Only three moments make a caller wait:
 * the very first call, a token that expired unrefreshed (its refresh failed, or nobody had used it
 * since the last refresh, see below), and a token {@linkplain #invalidate invalidated} by a 401.
 *
 * <p><b>One request in flight, however many callers.</b> Every caller that finds no valid token
 * joins the one <em>flight</em> (a future of the next token) under a small lock; the first creates
 * it and the fetch is started outside the lock. 500 callers at the instant of expiry cause exactly
 * one {@link TokenSource#fetchToken()}. Blocking callers wait for it through the {@link
 * TimeSource}, bounded by their deadline and their cancellation; async callers get a future that
 * completes when it does, and no thread is parked for them.
 *
 * <p><b>Failures are backed off, and a valid token is never given up for one.</b> A failed fetch
 * (an error status, a bad answer, no answer within {@code fetchTimeout}) is reported with {@link
 * RetryListener#onTokenRefreshFailed} and the next one waits 1 s, 2 s, 4 s… (jittered down to half,
 * capped at {@code maxBackoff}, 1 min). While the old token is valid the background retries are
 * all that happens, and callers never notice. Once it has expired, callers join the next flight;
 * one whose deadline ends before that flight may start is refused at once with an {@link
 * AccessTokenException} (cause: the last failure) rather than sent to sleep into its timeout, and
 * a flight that fails fails its waiters with the same. The endpoint is never asked more than once
 * per backoff step, whatever the traffic, and only while a token is wanted: once the steps reach
 * the cap, one request every 30 to 60 s, 60 to 120 an hour.
 *
 * <p><b>Bad answers cannot cause a tight loop.</b> A lifetime that is not stated is taken as {@code
 * defaultLifetime} (1 h, half of Assignr's); one longer than a day is clamped to a day; one
 * shorter than {@link #MIN_LIFETIME} (30 s) is refused as a failure, because a call cannot count
 * on such a token lasting through its rate-limit wait, and because accepting it would mean a
 * refresh every few seconds. Zero and negative lifetimes never reach here ({@link
 * AccessToken#bearer(String, Duration)} and the token answer parser refuse them).
 *
 * <p><b>Idle credentials go quiet.</b> A background refresh is made only for a token some caller
 * used since it was obtained; a token nobody asked for is left to expire, and the next caller
 * fetches (and waits for) a fresh one. So an abandoned instance stops calling the token endpoint
 * after at most one more refresh, and an idle application does not poll it every two hours.
 *
 * <p>Secrets never leave: {@link #toString()}, the events, the exceptions and the {@linkplain
 * #quotaKey() quota key} hold no token, no {@code Authorization} value and not the client id.
 */
public final class Credentials {
  /** Tokens valid for less than this are refused; see the class comment. */
  public static final Duration MIN_LIFETIME = Duration.ofSeconds(30);
  /** Longer lifetimes are clamped to this: the token is then refreshed at least daily. */
  public static final Duration MAX_LIFETIME = Duration.ofDays(1);

  /** How far past {@code refreshAhead} the jitter may move a refresh: up to half as much again. */
  private static final double REFRESH_JITTER = 0.5;
  /** The longest single wait of a caller without a deadline, re-checked in a loop. */
  private static final long MAX_SLEEP_CHUNK = TimeUnit.HOURS.toNanos(1);

  private final TokenSource source;
  private final String quotaKey;
  private final long refreshAheadNanos;
  private final Duration defaultLifetime;
  /** Failed refreshes: 1 s, 2 s, 4 s… up to maxBackoff, jittered down to half. */
  private final Backoff backoff;
  private final long fetchTimeoutNanos;
  private final TimeSource time;
  private final DoubleSupplier random;
  private final RetryListener listener;

  /** Guards every field below except {@link #current}'s reads. */
  private final Object lock = new Object();
  /** The token in use, read without the lock; written under it. */
  private volatile Held current;
  /** The one flight, or null. */
  private Flight flight;
  /** Failed fetches in a row. */
  private int failures;
  private Throwable lastFailure;
  /** No fetch starts before this while {@link #failures} is positive. */
  private long notBefore;
  private TimeSource.Cancellable refreshTask;

  private Credentials(Builder b) {
    source = b.source;
    quotaKey = "assignr-client#" + Fingerprints.of(b.clientId);
    refreshAheadNanos = b.refreshAhead.toNanos();
    defaultLifetime = b.defaultLifetime;
    backoff = Backoff.of(b.initialBackoff, b.maxBackoff, 2, 0.5);
    fetchTimeoutNanos = b.fetchTimeout.toNanos();
    time = b.time;
    random = b.random;
    listener = RetryListener.composite(b.listeners.toArray(RetryListener[]::new));
  }

  /**
   * Starts building credentials that take their tokens from {@code source}.
   *
   * @param source one token request per call, e.g. {@code AssignrOAuth.clientCredentials(...)}
   * @return a builder
   */
  public static Builder builder(TokenSource source) {
    return new Builder(source);
  }

  /**
   * The quota these credentials draw on: {@code "assignr-client#"} and the first 48 bits of the
   * SHA-256 of the client id, the same in every instance and across token rotations, and never the
   * id itself or any token. Safe for logs, metrics and shared-store keys.
   *
   * @return e.g. {@code "assignr-client#3f2a9c0d41b7"}
   */
  public String quotaKey() {
    return quotaKey;
  }

  /** @return the time seam these credentials read and schedule on */
  public TimeSource timeSource() {
    return time;
  }

  /**
   * The {@code Authorization} value to send, waiting on this thread if no valid token is at hand.
   *
   * @param maxWaitNanos how long the caller can wait ({@link AttemptContext#nanosLeft()}); {@link
   *     Long#MAX_VALUE} for no limit
   * @return {@code "Bearer <token>"}; a secret
   * @throws AccessTokenException if the token source failed, or its next attempt falls after the
   *     deadline; the cause is the source's last failure
   * @throws InterruptedIOException if the wait reached {@code maxWaitNanos} or the thread was
   *     interrupted (the interrupt flag is then restored)
   */
  public String authorization(long maxWaitNanos) throws IOException {
    return authorization(maxWaitNanos, CancellationSignal.NEVER);
  }

  /**
   * As {@link #authorization(long)}, also giving up when {@code cancellation} fires (OkHttp's
   * {@code Call.cancel()} interrupts nobody).
   *
   * @param maxWaitNanos how long the caller can wait; {@link Long#MAX_VALUE} for no limit
   * @param cancellation polled while waiting
   * @return {@code "Bearer <token>"}; a secret
   * @throws AccessTokenException if no token could be had; the cause is the source's last failure
   * @throws InterruptedIOException on the deadline, cancellation or interruption
   */
  public String authorization(long maxWaitNanos, CancellationSignal cancellation) throws IOException {
    Objects.requireNonNull(cancellation, "cancellation");
    long start = time.nanoTime();
    String fast = valid(start);
    if (fast != null) return fast;
    Object joined = join(start);
    if (joined instanceof Held) return ((Held) joined).authorization;
    Flight f = (Flight) joined;
    long deadline = deadline(start, maxWaitNanos);
    AccessTokenException tooLate = startsTooLate(f, deadline, maxWaitNanos);
    if (tooLate != null) throw tooLate;
    while (!f.result.isDone()) {
      if (cancellation.isCancelled()) {
        throw new InterruptedIOException("cancelled while waiting for an access token for " + quotaKey);
      }
      long left = deadline == Long.MAX_VALUE ? MAX_SLEEP_CHUNK : deadline - time.nanoTime();
      if (left <= 0) throw timedOut(maxWaitNanos);
      try {
        time.sleep(Math.min(left, MAX_SLEEP_CHUNK), () -> f.result.isDone() || cancellation.isCancelled());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while waiting for an access token for " + quotaKey);
      }
    }
    Held h = f.result.handle((held, failure) -> held).join();
    if (h == null) throw forCaller(f);
    h.used = true;
    return h.authorization;
  }

  /**
   * The {@code Authorization} value to send, without parking a thread: a completed future when a
   * valid token is at hand, else one that completes when the flight in progress does.
   *
   * @return the value, or a future failed with {@link AccessTokenException}
   */
  public CompletableFuture<String> authorizationAsync() {
    return authorizationAsync(Long.MAX_VALUE);
  }

  /**
   * As {@link #authorizationAsync()}, failing with {@link InterruptedIOException} if no token came
   * within {@code maxWaitNanos} (timed on the {@link TimeSource}), and at once with {@link
   * AccessTokenException} if the next fetch may only start after that. Cancelling the returned
   * future withdraws only this caller: the flight goes on for the others.
   *
   * @param maxWaitNanos how long the caller can wait; {@link Long#MAX_VALUE} for no limit
   * @return the value
   */
  public CompletableFuture<String> authorizationAsync(long maxWaitNanos) {
    long start = time.nanoTime();
    String fast = valid(start);
    if (fast != null) return CompletableFuture.completedFuture(fast);
    Object joined = join(start);
    if (joined instanceof Held) return CompletableFuture.completedFuture(((Held) joined).authorization);
    Flight f = (Flight) joined;
    long deadline = deadline(start, maxWaitNanos);
    AccessTokenException tooLate = startsTooLate(f, deadline, maxWaitNanos);
    if (tooLate != null) return CompletableFuture.failedFuture(tooLate);
    CompletableFuture<String> mine = new CompletableFuture<>();
    TimeSource.Cancellable timer = deadline == Long.MAX_VALUE ? null
        : time.schedule(() -> mine.completeExceptionally(timedOut(maxWaitNanos)), deadline - start);
    f.result.whenComplete((held, failure) -> {
      if (timer != null) timer.cancel();
      if (held != null) {
        held.used = true;
        mine.complete(held.authorization);
      } else {
        mine.completeExceptionally(forCaller(f));
      }
    });
    return mine;
  }

  /**
   * Throws the current token away after the API answered 401 to it, so that the next caller
   * fetches a new one (one fetch, however many callers). Only the current token can be
   * invalidated: a late 401 for a token already replaced changes nothing, so it cannot throw away
   * the fresh one. A caller whose retry should go ahead either way just asks for {@link
   * #authorization} again.
   *
   * @param authorizationThatGot401 the {@code Authorization} value the refused request carried
   * @return whether it was the current token and is now invalidated
   */
  public boolean invalidate(String authorizationThatGot401) {
    if (authorizationThatGot401 == null) return false;
    synchronized (lock) {
      Held h = current;
      if (h == null || !h.authorization.equals(authorizationThatGot401)) return false;
      current = null;
      if (refreshTask != null) refreshTask.cancel();
      refreshTask = null;
      return true;
    }
  }

  /** The quota key and the state, never the token. */
  @Override
  public String toString() {
    Held h = current;
    long now = time.nanoTime();
    String state;
    synchronized (lock) {
      state = h != null && now - h.expiresAt < 0
          ? "token valid for " + TimeUnit.NANOSECONDS.toSeconds(h.expiresAt - now) + " s more"
          : "no valid token";
      if (flight != null) state += ", fetching";
      if (failures > 0) state += ", " + failures + (failures == 1 ? " failure" : " failures") + " in a row";
    }
    return "Credentials{" + quotaKey + ", " + state + '}';
  }

  // ---------------------------------------------------------------------------------------------
  // The machinery.

  /** A token in use, with its instants on the {@link TimeSource}'s nanoTime scale. */
  private static final class Held {
    final String authorization;
    final Duration validFor;
    final long expiresAt;
    final long refreshAt;
    /** Whether a caller asked for it; a token nobody uses is not refreshed in the background. */
    volatile boolean used;
    /** The fast path starts no background refresh before this (a refresh running, or a backoff). */
    volatile long nextBackgroundTry;

    Held(String authorization, Duration validFor, long expiresAt, long refreshAt, boolean used) {
      this.authorization = authorization;
      this.validFor = validFor;
      this.expiresAt = expiresAt;
      this.refreshAt = refreshAt;
      this.used = used;
      this.nextBackgroundTry = refreshAt;
    }

    @Override
    public String toString() {
      return "Held{valid for " + validFor + '}';
    }
  }

  /** The one fetch in progress or about to start; every caller without a token waits on it. */
  private static final class Flight {
    final CompletableFuture<Held> result = new CompletableFuture<>();
    /** Whether a caller asked for it (else it is a background refresh). */
    final boolean forCaller;
    /** When the fetch starts (now, or the end of a backoff) or started. */
    volatile long launchAt;
    volatile boolean launched;
    /** The delayed start or the fetch timeout; under the lock. */
    TimeSource.Cancellable timer;
    /** The source's future, cancelled on timeout; under the lock. */
    CompletableFuture<AccessToken> fetch;
    /** What its waiters get if it fails; set before {@link #result} completes. */
    volatile AccessTokenException failure;

    Flight(boolean forCaller, long launchAt) {
      this.forCaller = forCaller;
      this.launchAt = launchAt;
    }
  }

  /** The fast path: the current token if it is valid at {@code now}, else null. */
  private String valid(long now) {
    Held h = current;
    if (h == null || now - h.expiresAt >= 0) return null;
    if (!h.used) h.used = true;
    if (refreshAheadNanos > 0 && now - h.nextBackgroundTry >= 0) refreshInBackground(h, now);
    return h.authorization;
  }

  /** A valid {@link Held}, or the {@link Flight} to wait for (created, and launched, if need be). */
  private Object join(long now) {
    Flight f;
    synchronized (lock) {
      Held h = current;
      if (h != null && now - h.expiresAt < 0) {
        h.used = true;
        return h;
      }
      if (flight != null) return flight;
      if (failures > 0 && now - notBefore < 0) {
        Flight delayed = new Flight(true, notBefore);
        flight = delayed;
        delayed.timer = time.schedule(() -> launch(delayed), notBefore - now);
        return delayed;
      }
      f = new Flight(true, now);
      flight = f;
    }
    launch(f);
    return f;
  }

  /** Starts a background refresh of {@code h} unless one runs, a backoff holds, or it was replaced. */
  private void refreshInBackground(Held h, long now) {
    Flight f;
    synchronized (lock) {
      if (current != h || flight != null || now - h.expiresAt >= 0) return;
      if (failures > 0 && now - notBefore < 0) {
        h.nextBackgroundTry = notBefore;
        return;
      }
      h.nextBackgroundTry = now + fetchTimeoutNanos;
      f = new Flight(false, now);
      flight = f;
    }
    launch(f);
  }

  /** The scheduled refresh-ahead: only for a token a caller used. */
  private void refreshDue(Held h) {
    if (h.used) refreshInBackground(h, time.nanoTime());
  }

  /** Calls the source, outside the lock, and arranges for the answer (or its absence) to settle. */
  private void launch(Flight f) {
    long started = time.nanoTime();
    synchronized (lock) {
      if (flight != f || f.launched) return;
      f.launched = true;
      f.launchAt = started;
      f.timer = null;
    }
    CompletableFuture<AccessToken> fetch;
    try {
      fetch = source.fetchToken();
      if (fetch == null) fetch = CompletableFuture.failedFuture(new TokenEndpointException("the token source returned no future", 0, null));
    } catch (RuntimeException e) {
      fetch = CompletableFuture.failedFuture(e);
    }
    synchronized (lock) {
      f.fetch = fetch;
    }
    fetch.whenComplete((token, failure) -> settle(f, started, token, failure));
    synchronized (lock) {
      // Only for a fetch still running: a source that answered at once needs no timer (and an
      // auto-advancing virtual clock, which runs every task at once, would fire it spuriously).
      if (flight == f && f.timer == null) {
        f.timer = time.schedule(() -> settle(f, started, null, new FetchTimeout(
            "the token source did not answer within " + TimeUnit.NANOSECONDS.toMillis(fetchTimeoutNanos)
                + " ms (fetchTimeout)")), fetchTimeoutNanos);
      }
    }
  }

  /** Ends {@code f} with the source's answer, or its failure; the first call wins. */
  private void settle(Flight f, long started, AccessToken token, Throwable failure) {
    Throwable problem = failure instanceof CompletionException && failure.getCause() != null
        ? failure.getCause() : failure;
    Held fresh = null;
    long now = time.nanoTime();
    if (problem == null) {
      try {
        fresh = accept(token, started, now, f.forCaller);
      } catch (IOException e) {
        problem = e;
      }
    }
    CompletableFuture<AccessToken> abandoned = null;
    synchronized (lock) {
      if (flight != f) return;
      flight = null;
      if (f.timer != null) f.timer.cancel();
      f.timer = null;
      if (problem instanceof FetchTimeout) abandoned = f.fetch;
      if (fresh != null) {
        current = fresh;
        failures = 0;
        lastFailure = null;
        if (refreshTask != null) refreshTask.cancel();
        Held h = fresh;
        refreshTask = refreshAheadNanos > 0 ? time.schedule(() -> refreshDue(h), fresh.refreshAt - now) : null;
      } else {
        failures++;
        lastFailure = problem;
        long wait = backoff(failures);
        notBefore = now + wait;
        f.failure = new AccessTokenException(quotaKey, "No access token for " + quotaKey + ": "
            + describe(problem) + " (" + failures + (failures == 1 ? " failure" : " failures")
            + " in a row; the next fetch may start in " + TimeUnit.NANOSECONDS.toMillis(wait) + " ms)", problem);
        Held h = current;
        if (h != null && now - h.expiresAt < 0 && refreshAheadNanos > 0) {
          // The token still serves; retry in the background after the backoff.
          h.nextBackgroundTry = notBefore;
          if (refreshTask != null) refreshTask.cancel();
          refreshTask = time.schedule(() -> refreshDue(h), wait);
        }
      }
    }
    if (abandoned != null) abandoned.cancel(true);
    try {
      if (fresh != null) {
        listener.onTokenRefreshed(quotaKey, fresh.validFor);
      } else {
        listener.onTokenRefreshFailed(quotaKey, problem);
      }
    } catch (RuntimeException ignored) {
      // A listener must not throw; if one does, the waiters must still be released.
    }
    if (fresh != null) {
      f.result.complete(fresh);
    } else {
      f.result.completeExceptionally(f.failure);
    }
  }

  /** Turns the source's answer into a {@link Held}, or refuses it. */
  private Held accept(AccessToken token, long started, long now, boolean used) throws IOException {
    if (token == null) throw new TokenEndpointException("the token source answered no token", 0, null);
    Duration lifetime = token.lifetime().orElse(defaultLifetime);
    if (lifetime.compareTo(MIN_LIFETIME) < 0) {
      throw new TokenEndpointException("the token source answered a token valid for only "
          + lifetime.toMillis() + " ms, less than the " + MIN_LIFETIME.getSeconds()
          + " s a call needs; it is not used", 0, null);
    }
    if (lifetime.compareTo(MAX_LIFETIME) > 0) lifetime = MAX_LIFETIME;
    long lifeNanos = lifetime.toNanos();
    long lead = 0;
    if (refreshAheadNanos > 0) {
      double jittered = refreshAheadNanos * (1 + REFRESH_JITTER * draw());
      lead = (long) Math.min(jittered, lifeNanos / 2.0);
    }
    long expiresAt = started + lifeNanos;
    return new Held(token.authorizationHeader(), lifetime, expiresAt, expiresAt - lead, used);
  }

  /** Exponential from {@code initialBackoff}, capped at {@code maxBackoff}, jittered to [½, 1]. */
  private long backoff(int failuresInARow) {
    // Here a draw of 0 has always meant the shortest wait (Backoff's 0 is the longest): 1 − draw
    // keeps every pinned draw's wait as it was.
    return Math.max(1, backoff.delayNanos(failuresInARow, 1 - draw()));
  }

  private double draw() {
    double r = random.getAsDouble();
    return Double.isNaN(r) ? 0 : Math.max(0, Math.min(1, r));
  }

  /** The deadline on the nanoTime scale; {@link Long#MAX_VALUE} (none) for waits of a century or more. */
  private static long deadline(long start, long maxWaitNanos) {
    if (maxWaitNanos >= Long.MAX_VALUE / 4) return Long.MAX_VALUE;
    long d = start + Math.max(0, maxWaitNanos);
    return d == Long.MAX_VALUE ? Long.MAX_VALUE - 1 : d;
  }

  /** A flight held back by a backoff until after the caller's deadline cannot help: refuse now. */
  private AccessTokenException startsTooLate(Flight f, long deadline, long maxWaitNanos) {
    if (f.launched || deadline == Long.MAX_VALUE || f.launchAt - deadline <= 0) return null;
    Throwable last;
    int n;
    synchronized (lock) {
      last = lastFailure;
      n = failures;
    }
    long in = f.launchAt - time.nanoTime();
    return new AccessTokenException(quotaKey, "No access token for " + quotaKey + ": the token source"
        + " failed " + (n == 1 ? "once" : n + " times in a row") + (last == null ? "" : " (" + describe(last) + ")")
        + " and the next fetch may start only in " + TimeUnit.NANOSECONDS.toMillis(in)
        + " ms, after the caller's deadline of " + TimeUnit.NANOSECONDS.toMillis(maxWaitNanos) + " ms", last);
  }

  private InterruptedIOException timedOut(long maxWaitNanos) {
    return new InterruptedIOException("timed out after " + TimeUnit.NANOSECONDS.toMillis(maxWaitNanos)
        + " ms waiting for an access token for " + quotaKey);
  }

  /** A fresh exception per caller (a shared one would share stack traces and suppressed lists). */
  private AccessTokenException forCaller(Flight f) {
    AccessTokenException shared = f.failure;
    return new AccessTokenException(quotaKey, shared.getMessage(), shared.getCause());
  }

  /**
   * A failure in a few words for a message: ours are sanitised and quoted; anything else from a
   * source of the user's is named by type only, its message staying in the cause.
   */
  private static String describe(Throwable t) {
    if (t instanceof TokenEndpointException || t instanceof FetchTimeout) return t.getMessage();
    return "the token source failed with " + (t == null ? "nothing" : t.getClass().getName());
  }

  /** The source did not answer within {@code fetchTimeout}. */
  private static final class FetchTimeout extends TimeoutException {
    private static final long serialVersionUID = 1L;

    FetchTimeout(String message) {
      super(message);
    }
  }

  /** Setters only store; {@link #build()} validates. */
  public static final class Builder {
    private final TokenSource source;
    private String clientId;
    private Duration refreshAhead = Duration.ofMinutes(5);
    private Duration defaultLifetime = Duration.ofHours(1);
    private Duration initialBackoff = Duration.ofSeconds(1);
    private Duration maxBackoff = Duration.ofMinutes(1);
    private Duration fetchTimeout = Duration.ofSeconds(30);
    private TimeSource time = TimeSource.system();
    private DoubleSupplier random = () -> ThreadLocalRandom.current().nextDouble();
    private final List<RetryListener> listeners = new ArrayList<>(List.of(Slf4jRetryListener.create()));

    private Builder(TokenSource source) {
      this.source = source;
    }

    /**
     * The OAuth client id, used only to name the quota ({@link Credentials#quotaKey()}, a hash of
     * it). Required; with a token from elsewhere, any stable name of the account does.
     *
     * @param clientId the client id
     * @return this builder
     */
    public Builder clientId(String clientId) { this.clientId = clientId; return this; }

    /**
     * How long before expiry the token is refreshed in the background. Default 5 min; jittered up
     * to half as much again, and never more than half the token's lifetime. Zero turns
     * refresh-ahead off: tokens are then fetched only when a caller finds none valid.
     *
     * @param refreshAhead between 0 and 12 h
     * @return this builder
     */
    public Builder refreshAhead(Duration refreshAhead) { this.refreshAhead = refreshAhead; return this; }

    /**
     * The lifetime assumed for a token whose answer did not state one ({@code expires_in}
     * missing). Default 1 h: half Assignr's 7,200 s, so a token is refreshed early rather than
     * used past its end.
     *
     * @param defaultLifetime between 30 s and 1 day
     * @return this builder
     */
    public Builder defaultLifetime(Duration defaultLifetime) { this.defaultLifetime = defaultLifetime; return this; }

    /**
     * The wait after the first failed fetch; it doubles with every further failure. Default 1 s.
     *
     * @param initialBackoff positive, at most {@code maxBackoff}
     * @return this builder
     */
    public Builder initialBackoff(Duration initialBackoff) { this.initialBackoff = initialBackoff; return this; }

    /**
     * The longest wait between failed fetches. Default 1 min.
     *
     * @param maxBackoff at most 1 h
     * @return this builder
     */
    public Builder maxBackoff(Duration maxBackoff) { this.maxBackoff = maxBackoff; return this; }

    /**
     * How long a fetch may take before it counts as failed (and its future is cancelled). Default
     * 30 s.
     *
     * @param fetchTimeout positive, at most 10 min
     * @return this builder
     */
    public Builder fetchTimeout(Duration fetchTimeout) { this.fetchTimeout = fetchTimeout; return this; }

    /**
     * The time seam: expiry, waits and the refresh-ahead schedule. Default {@link
     * TimeSource#system()}; use the same one as the {@link AssignrResilience} the credentials serve.
     *
     * @param time the time source
     * @return this builder
     */
    public Builder timeSource(TimeSource time) { this.time = time; return this; }

    /**
     * Uniform draws in [0, 1) for the jitter of refreshes and backoffs. Default {@code
     * ThreadLocalRandom}.
     *
     * @param random the source of draws
     * @return this builder
     */
    public Builder random(DoubleSupplier random) { this.random = random; return this; }

    /**
     * Adds a listener of {@link RetryListener#onTokenRefreshed} and {@link
     * RetryListener#onTokenRefreshFailed} after those already there (by default the {@link
     * Slf4jRetryListener}): how the Micrometer binder counts {@code assignr.token.refreshes}
     * without silencing the log. The same as {@link AssignrResilience.Builder#addListener}.
     *
     * @param listener the listener
     * @return this builder
     */
    public Builder addListener(RetryListener listener) { listeners.add(listener); return this; }

    /**
     * Replaces every listener of the token events, the default SLF4J one included, with {@code
     * listener} ({@link RetryListener#NONE} for silence). Prefer {@link #addListener}.
     *
     * @param listener the listener
     * @return this builder
     */
    public Builder listener(RetryListener listener) {
      listeners.clear();
      listeners.add(listener);
      return this;
    }

    /**
     * @return the credentials
     * @throws IllegalArgumentException naming each bad parameter and its value
     */
    public Credentials build() {
      Checks c = new Checks("Credentials");
      c.notNull("source", source);
      c.check(clientId != null && !clientId.isBlank(), "clientId", clientId == null ? null : "(blank)",
          "must be set (it names the quota; with a token from elsewhere any stable account name does)");
      c.between("refreshAhead", refreshAhead, Duration.ZERO, Duration.ofHours(12));
      c.between("defaultLifetime", defaultLifetime, MIN_LIFETIME, MAX_LIFETIME);
      c.positive("initialBackoff", initialBackoff);
      c.between("maxBackoff", maxBackoff, Duration.ofMillis(1), Duration.ofHours(1));
      if (initialBackoff != null && maxBackoff != null) {
        c.check(initialBackoff.compareTo(maxBackoff) <= 0, "initialBackoff", initialBackoff,
            "must not exceed maxBackoff " + maxBackoff);
      }
      c.between("fetchTimeout", fetchTimeout, Duration.ofMillis(1), Duration.ofMinutes(10));
      c.notNull("timeSource", time);
      c.notNull("random", random);
      c.check(!listeners.contains(null), "listener", null, "must not be null");
      c.throwIfAny();
      return new Credentials(this);
    }
  }
}
