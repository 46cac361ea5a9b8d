package com.assignr.resilience.oauth;

import com.assignr.resilience.RetryListener;
import com.assignr.resilience.TimeSource;
import com.assignr.resilience.internal.Backoff;
import com.assignr.resilience.internal.Deadline;
import com.assignr.resilience.spi.AuthorizationFailure;
import com.assignr.resilience.spi.CancellationSignal;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.DoubleSupplier;

/**
 * The token of one OAuth client, cached and kept fresh for every thread and call that uses it: the
 * machinery behind {@link Credentials}.
 *
 * <h2>How is it designed, and why?</h2>
 *
 * <p><b>Nobody waits for a refresh they did not need.</b> A token fetched at {@code t} with {@code
 * expires_in} 7200 s is valid until {@code t + 7200 s}, counted from when it was <em>asked
 * for</em> (so a slow answer only makes it expire earlier in our eyes). It is refreshed in the
 * background at {@code expiry − refreshAhead} (5 min by default, plus up to half as much again of
 * random jitter so instances sharing a client id do not all ask at once, and never earlier than
 * half the lifetime): at 6,900–6,750 s for Assignr's tokens. Callers meanwhile keep getting the
 * current token from a volatile read, with no lock and no wait. Only three moments make a caller
 * wait: the very first call, a token that expired unrefreshed (its refresh failed, or nobody had
 * used it since the last refresh, see below), and a token {@linkplain #invalidate invalidated} by
 * a 401.
 *
 * <p><b>One request in flight, however many callers.</b> Every caller that finds no valid token
 * joins the one <em>flight</em> (a future of the next token) under a small lock; the first creates
 * it and the fetch is started outside the lock. 500 callers at the instant of expiry cause exactly
 * one {@link TokenSource#fetchToken()}. Blocking callers wait for it through the {@link
 * TimeSource}, bounded by their deadline and their cancellation; async callers get a future that
 * completes when it does, and no thread is parked for them.
 *
 * <p><b>Failures say what they are.</b> A failed fetch is reported with {@link
 * RetryListener#onTokenRefreshFailed} and classified ({@link TokenEndpointException#kind()};
 * anything else counts as the endpoint being unavailable):
 *
 * <ul>
 *   <li><em>Unavailable</em> (5xx, 429, I/O, no answer within {@code fetchTimeout}) and
 *       <em>invalid</em> (a malformed answer) are temporary: the next fetch waits 1 s, 2 s, 4 s…
 *       (jittered down to half, capped at {@code maxBackoff}, 1 min). Callers join the next
 *       flight; one whose deadline ends before that flight may start is refused at once with the
 *       last failure rather than sent to sleep into its timeout. The endpoint is asked at most
 *       once per backoff step: once the steps reach the cap, one request every 30 to 60 s.
 *   <li><em>Refused</em> ({@code invalid_client}, {@code unauthorized_client}, {@code
 *       invalid_scope}, {@code unsupported_grant_type}, a bare 401) is permanent until someone
 *       fixes the configuration: every waiting caller is failed at once with the endpoint's code,
 *       and so is every caller for the next {@code maxBackoff} (1 min), without a request; then
 *       one caller's request checks again (a rotated secret is picked up within a minute). 20
 *       callers over 10 s with a wrong secret cause one token request.
 * </ul>
 *
 * <p>Either way a caller never waits past its own deadline and never gets a bare timeout: it gets
 * an {@link AuthorizationFailure} of the last failure's kind, the failure as its cause. A valid
 * token is never given up for a failure: while the old token serves, the background retries are
 * all that happens.
 *
 * <p><b>No request without a waiter.</b> A flight held back by a backoff starts only if some
 * caller still waits for it when the backoff ends: callers that gave up (their deadline, their
 * cancellation) take their interest with them, and a flight nobody wants is dropped unsent. So the
 * endpoint is asked only while something needs a token.
 *
 * <p><b>Bad answers cannot cause a tight loop.</b> A lifetime that is not stated is taken as {@code
 * defaultLifetime} (1 h, half of Assignr's); one longer than a day is clamped to a day; one
 * shorter than {@code minLifetime} (30 s by default) is refused as an invalid answer, because a
 * call cannot count on such a token lasting through its rate-limit wait, and because accepting it
 * would mean a refresh every few seconds.
 *
 * <p><b>Idle credentials go quiet.</b> A background refresh is made only for a token some caller
 * used since it was obtained; a token nobody asked for is left to expire, and the next caller
 * fetches (and waits for) a fresh one.
 *
 * <p>Secrets never leave: {@link #toString()}, the events, the exceptions and the quota key hold no
 * token, no {@code Authorization} value and not the client id.
 */
final class TokenCache {
  /** Longer lifetimes are clamped to this: the token is then refreshed at least daily. */
  static final Duration MAX_LIFETIME = Duration.ofDays(1);

  /** How far past {@code refreshAhead} the jitter may move a refresh: up to half as much again. */
  private static final double REFRESH_JITTER = 0.5;
  /** The longest single wait of a caller without a deadline, re-checked in a loop. */
  private static final long MAX_SLEEP_CHUNK = TimeUnit.HOURS.toNanos(1);

  private final TokenSource source;
  private final String quotaKey;
  private final long refreshAheadNanos;
  private final Duration defaultLifetime;
  private final Duration minLifetime;
  /** Temporary failures: 1 s, 2 s, 4 s… up to maxBackoff, jittered down to half. */
  private final Backoff backoff;
  /** How long a refusal of the credentials is answered without asking again: maxBackoff. */
  private final long refusalHoldNanos;
  private final long fetchTimeoutNanos;
  private final TimeSource time;
  private final DoubleSupplier random;
  private final List<RetryListener> listeners = new CopyOnWriteArrayList<>();

  /** Guards every field below except {@link #current}'s reads. */
  private final Object lock = new Object();
  /** The token in use, read without the lock; written under it. */
  private volatile Held current;
  /** The one flight, or null. */
  private Flight flight;
  /** Failed fetches in a row. */
  private int failures;
  private Throwable lastFailure;
  private AuthorizationFailure.Kind lastKind;
  /** No fetch starts before this while {@link #failures} is positive. */
  private long notBefore;
  /** The refusal every caller gets until {@link #notBefore}, or null. */
  private AuthorizationFailure refused;
  private TimeSource.Cancellable refreshTask;

  TokenCache(TokenSource source, String quotaKey, AssignrOAuth.Builder b) {
    this.source = source;
    this.quotaKey = quotaKey;
    refreshAheadNanos = b.refreshAhead.toNanos();
    defaultLifetime = b.defaultLifetime;
    minLifetime = b.minLifetime;
    backoff = Backoff.of(b.initialBackoff, b.maxBackoff, 2, 0.5);
    refusalHoldNanos = b.maxBackoff.toNanos();
    fetchTimeoutNanos = b.fetchTimeout.toNanos();
    time = b.time;
    random = b.random;
    b.listeners.forEach(this::addListener);
  }

  String quotaKey() {
    return quotaKey;
  }

  TimeSource timeSource() {
    return time;
  }

  /** Adds {@code listener} unless it is there already (by identity). */
  void addListener(RetryListener listener) {
    synchronized (listeners) {
      for (RetryListener l : listeners) {
        if (l == listener) return;
      }
      listeners.add(listener);
    }
  }

  String authorization(long maxWaitNanos, CancellationSignal cancellation) throws IOException {
    long start = time.nanoTime();
    String fast = valid(start);
    if (fast != null) return fast;
    Object joined = join(start);
    if (joined instanceof Held) return ((Held) joined).authorization;
    if (joined instanceof AuthorizationFailure) throw copy((AuthorizationFailure) joined);
    Flight f = (Flight) joined;
    try {
      long budget = budget(maxWaitNanos);
      AuthorizationFailure tooLate = startsTooLate(f, start, budget, maxWaitNanos);
      if (tooLate != null) throw tooLate;
      while (!f.result.isDone()) {
        if (cancellation.isCancelled()) throw ended("cancelled while waiting for an access token for " + quotaKey);
        long left = budget == Deadline.NONE ? MAX_SLEEP_CHUNK : Deadline.left(start, budget, time.nanoTime());
        if (left <= 0) throw timedOut(maxWaitNanos);
        try {
          time.sleep(Math.min(left, MAX_SLEEP_CHUNK), () -> f.result.isDone() || cancellation.isCancelled());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw ended("interrupted while waiting for an access token for " + quotaKey);
        }
      }
    } finally {
      leave(f);
    }
    Held h = f.result.handle((held, failure) -> held).join();
    if (h == null) throw copy(f.failure);
    h.used = true;
    return h.authorization;
  }

  CompletableFuture<String> authorizationAsync(long maxWaitNanos) {
    long start = time.nanoTime();
    String fast = valid(start);
    if (fast != null) return CompletableFuture.completedFuture(fast);
    Object joined = join(start);
    if (joined instanceof Held) return CompletableFuture.completedFuture(((Held) joined).authorization);
    if (joined instanceof AuthorizationFailure) return CompletableFuture.failedFuture(copy((AuthorizationFailure) joined));
    Flight f = (Flight) joined;
    long budget = budget(maxWaitNanos);
    AuthorizationFailure tooLate = startsTooLate(f, start, budget, maxWaitNanos);
    if (tooLate != null) {
      leave(f);
      return CompletableFuture.failedFuture(tooLate);
    }
    CompletableFuture<String> mine = new CompletableFuture<>();
    TimeSource.Cancellable timer = budget == Deadline.NONE ? null
        : time.schedule(() -> mine.completeExceptionally(timedOut(maxWaitNanos)), budget);
    // However this caller ends (the token, a failure, its deadline, its cancel), its interest ends.
    mine.whenComplete((value, failure) -> {
      if (timer != null) timer.cancel();
      leave(f);
    });
    f.result.whenComplete((held, failure) -> {
      if (held != null) {
        held.used = true;
        mine.complete(held.authorization);
      } else {
        mine.completeExceptionally(copy(f.failure));
      }
    });
    return mine;
  }

  boolean invalidate(String authorizationThatGot401) {
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
      if (refused != null && now - notBefore < 0) state += ", credentials refused";
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
    /** Whether it waits for a backoff to end before it starts. */
    final boolean delayed;
    /** When the fetch starts (now, or the end of a backoff) or started. */
    volatile long launchAt;
    volatile boolean launched;
    /** Callers waiting on it; under the lock. A delayed flight with none is dropped unsent. */
    int waiters;
    /** The delayed start or the fetch timeout; under the lock. */
    TimeSource.Cancellable timer;
    /** The source's future, cancelled on timeout; under the lock. */
    CompletableFuture<AccessToken> fetch;
    /** What its waiters get if it fails; set before {@link #result} completes. */
    volatile AuthorizationFailure failure;

    Flight(boolean forCaller, boolean delayed, long launchAt) {
      this.forCaller = forCaller;
      this.delayed = delayed;
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

  /**
   * A valid {@link Held}; the refusal every caller gets while it holds; or the {@link Flight} to
   * wait for (created, and launched, if need be), this caller counted among its waiters.
   */
  private Object join(long now) {
    Flight f;
    synchronized (lock) {
      Held h = current;
      if (h != null && now - h.expiresAt < 0) {
        h.used = true;
        return h;
      }
      if (flight != null) {
        flight.waiters++;
        return flight;
      }
      if (failures > 0 && now - notBefore < 0) {
        if (refused != null) return refused;
        Flight delayed = new Flight(true, true, notBefore);
        delayed.waiters = 1;
        flight = delayed;
        delayed.timer = time.schedule(() -> launch(delayed), notBefore - now);
        return delayed;
      }
      f = new Flight(true, false, now);
      f.waiters = 1;
      flight = f;
    }
    launch(f);
    return f;
  }

  /** A caller stops waiting on {@code f}; a delayed flight nobody waits for any more is dropped. */
  private void leave(Flight f) {
    synchronized (lock) {
      f.waiters--;
      if (f.waiters > 0 || !f.delayed || f.launched || flight != f) return;
      flight = null;
      if (f.timer != null) f.timer.cancel();
      f.timer = null;
    }
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
      f = new Flight(false, false, now);
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
      if (f.delayed && f.waiters <= 0) {
        // Everyone who wanted this token gave up during the backoff: no request for nobody.
        flight = null;
        return;
      }
      f.launched = true;
      f.launchAt = started;
      f.timer = null;
    }
    CompletableFuture<AccessToken> fetch;
    try {
      fetch = source.fetchToken();
      if (fetch == null) {
        fetch = CompletableFuture.failedFuture(new TokenEndpointException("the token source returned no future", 0,
            null, AuthorizationFailure.Kind.INVALID));
      }
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
        lastKind = null;
        refused = null;
        if (refreshTask != null) refreshTask.cancel();
        Held h = fresh;
        refreshTask = refreshAheadNanos > 0 ? time.schedule(() -> refreshDue(h), fresh.refreshAt - now) : null;
      } else {
        AuthorizationFailure.Kind kind = kindOf(problem);
        failures++;
        lastFailure = problem;
        lastKind = kind;
        boolean refusal = kind == AuthorizationFailure.Kind.REFUSED;
        long wait = refusal ? refusalHoldNanos : backoff(failures);
        notBefore = now + wait;
        f.failure = new AuthorizationFailure(kind, errorOf(problem), false, "No access token for " + quotaKey + ": "
            + describe(problem) + " (" + failures + (failures == 1 ? " failure" : " failures") + " in a row; "
            + (refusal ? "the credentials are refused, and every caller is told so without a token request"
                + " for the next " + TimeUnit.NANOSECONDS.toMillis(wait) + " ms"
                : "the next token request may start in " + TimeUnit.NANOSECONDS.toMillis(wait) + " ms") + ")",
            problem);
        refused = refusal ? f.failure : null;
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
    for (RetryListener listener : listeners) {
      try {
        if (fresh != null) {
          listener.onTokenRefreshed(quotaKey, fresh.validFor);
        } else {
          listener.onTokenRefreshFailed(quotaKey, problem);
        }
      } catch (RuntimeException ignored) {
        // A listener must not throw; if one does, the others and the waiters must still hear.
      }
    }
    if (fresh != null) {
      f.result.complete(fresh);
    } else {
      f.result.completeExceptionally(f.failure);
    }
  }

  /** Turns the source's answer into a {@link Held}, or refuses it. */
  private Held accept(AccessToken token, long started, long now, boolean used) throws IOException {
    if (token == null) {
      throw new TokenEndpointException("the token source answered no token", 0, null,
          AuthorizationFailure.Kind.INVALID);
    }
    Duration lifetime = token.lifetime().orElse(defaultLifetime);
    if (lifetime.compareTo(minLifetime) < 0) {
      throw new TokenEndpointException("the token source answered a token valid for only "
          + lifetime.toMillis() + " ms, less than the " + minLifetime.toMillis() + " ms a call needs"
          + " (minLifetime); it is not used", 0, null, AuthorizationFailure.Kind.INVALID);
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

  private static AuthorizationFailure.Kind kindOf(Throwable problem) {
    return problem instanceof TokenEndpointException
        ? ((TokenEndpointException) problem).kind() : AuthorizationFailure.Kind.UNAVAILABLE;
  }

  private static String errorOf(Throwable problem) {
    return problem instanceof TokenEndpointException ? ((TokenEndpointException) problem).error() : null;
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

  /** The caller's wait as core's {@link Deadline} budget: {@link Deadline#NONE} for a century or more. */
  private static long budget(long maxWaitNanos) {
    return maxWaitNanos >= Long.MAX_VALUE / 4 ? Deadline.NONE : Math.max(0, maxWaitNanos);
  }

  /** A flight held back by a backoff until after the caller's deadline cannot help: refuse now. */
  private AuthorizationFailure startsTooLate(Flight f, long start, long budget, long maxWaitNanos) {
    if (f.launched || budget == Deadline.NONE || Deadline.left(start, budget, f.launchAt) >= 0) return null;
    Throwable last;
    AuthorizationFailure.Kind kind;
    int n;
    synchronized (lock) {
      last = lastFailure;
      kind = lastKind;
      n = failures;
    }
    long in = f.launchAt - time.nanoTime();
    return new AuthorizationFailure(kind == null ? AuthorizationFailure.Kind.UNAVAILABLE : kind, errorOf(last), true,
        "No access token for " + quotaKey + ": the token source failed " + (n == 1 ? "once" : n + " times in a row")
        + (last == null ? "" : " (" + describe(last) + ")") + " and the next token request may start only in "
        + TimeUnit.NANOSECONDS.toMillis(in) + " ms, after the caller's deadline of "
        + TimeUnit.NANOSECONDS.toMillis(maxWaitNanos) + " ms", last);
  }

  /** The caller's wait ended first: the last failure's kind, or unavailable (no answer yet). */
  private AuthorizationFailure timedOut(long maxWaitNanos) {
    Throwable last;
    AuthorizationFailure.Kind kind;
    synchronized (lock) {
      last = lastFailure;
      kind = lastKind;
    }
    return new AuthorizationFailure(kind == null ? AuthorizationFailure.Kind.UNAVAILABLE : kind, errorOf(last), true,
        "No access token for " + quotaKey + " within the caller's " + TimeUnit.NANOSECONDS.toMillis(maxWaitNanos)
        + " ms: " + (last == null ? "the token request has not answered yet"
            : "the last token request failed (" + describe(last) + ") and the next has not answered yet"), last);
  }

  /** The caller was cancelled or interrupted: not a token failure, but the last one is the cause. */
  private InterruptedIOException ended(String message) {
    InterruptedIOException e = new InterruptedIOException(message);
    Throwable last;
    synchronized (lock) {
      last = lastFailure;
    }
    if (last != null) e.initCause(last);
    return e;
  }

  /** A fresh exception per caller (a shared one would share stack traces and suppressed lists). */
  private static AuthorizationFailure copy(AuthorizationFailure shared) {
    return new AuthorizationFailure(shared.kind(), shared.error(), shared.deadlineReached(), shared.getMessage(),
        shared.getCause());
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
}
