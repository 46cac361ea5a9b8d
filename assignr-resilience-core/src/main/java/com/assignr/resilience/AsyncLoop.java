package com.assignr.resilience;

import com.assignr.resilience.internal.Exceptions;
import com.assignr.resilience.spi.Admission;
import com.assignr.resilience.spi.CallObservation;
import com.assignr.resilience.spi.CallOptions;
import com.assignr.resilience.spi.Permit;
import com.assignr.resilience.spi.RateLimitGate;
import com.assignr.resilience.spi.ResponseAdapter;
import com.assignr.resilience.spi.RetryExecutor.AsyncAttempt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The non-blocking loop: every wait is a task scheduled on the {@link TimeSource}, every attempt a
 * future, every gate admission asked with {@link RateLimitGate#tryAcquireAsync} (a shared store
 * answers without parking a thread). Cancelling the result withdraws the pending wait and the
 * attempt in flight before the caller's dependents hear of it, and once more afterwards, in case
 * a wait was being scheduled.
 */
final class AsyncLoop<R> extends CallState<R> {
  final CompletableFuture<R> result = new CompletableFuture<>() {
    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      callerCancelled = true; // before the withdrawal: the attempt it cancels must not end the call
      int made = attemptsMade();
      withdraw();
      boolean cancelled = super.cancel(mayInterruptIfRunning);
      if (isCancelled()) GiveUps.cancelledByCaller(settlement, AsyncLoop.this, made);
      return cancelled;
    }
  };
  private final AsyncAttempt<R> attempts;
  /** Set by the caller's {@code cancel} before it withdraws the wait and the attempt. */
  private volatile boolean callerCancelled;
  private volatile TimeSource.Cancellable pendingWait;
  private volatile CompletableFuture<R> inFlight;

  private AsyncLoop(Settlement s, RequestInfo request, CallOptions options, ResponseAdapter<R> adapter,
      RateLimitGate gate, AsyncAttempt<R> attempts, CallObservation observation) {
    super(s, request, options, adapter, gate, s.time.nanoTime(), observation);
    this.attempts = attempts;
    result.whenComplete((r, e) -> {
      if (result.isCancelled()) withdraw();
    });
  }

  static <R> CompletableFuture<R> start(Settlement s, RequestInfo request, CallOptions options,
      AsyncAttempt<R> attempts, ResponseAdapter<R> adapter) {
    RateLimitGate gate;
    try {
      gate = s.open(request, options);
    } catch (InsecureRequestException | RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    AsyncLoop<R> call = new AsyncLoop<>(s, request, options, adapter, gate, attempts,
        s.observer.start(request, s.time));
    call.attempt = 1;
    call.next();
    return call.result;
  }

  private void withdraw() {
    TimeSource.Cancellable wait = pendingWait;
    if (wait != null) wait.cancel();
    CompletableFuture<R> attemptFuture = inFlight;
    if (attemptFuture != null) attemptFuture.cancel(true);
  }

  /** Attempts made so far: the current one counts while it is in flight. */
  private int attemptsMade() {
    return inFlight != null ? attempt : attempt - 1;
  }

  @Override
  boolean isCancelled() {
    return result.isCancelled() || super.isCancelled();
  }

  /** Asks for admission of attempt {@code attempt}. */
  private void next() {
    pendingWait = null;
    if (result.isDone() || callerCancelled) return;
    if (isCancelled()) {
      result.completeExceptionally(GiveUps.cancelled(settlement, this, attempt - 1, "Canceled"));
      return;
    }
    long now = settlement.time.nanoTime();
    if (!settlement.addsToken(options)) {
      askGate(now);
      return;
    }
    settlement.credentials.authorizationAsync(untilDeadline(now)).whenComplete((token, error) -> {
      if (error != null) {
        Throwable failure = Exceptions.unwrap(error);
        if (failure instanceof com.assignr.resilience.spi.AuthorizationFailure) {
          failure = GiveUps.noToken(settlement, this, (com.assignr.resilience.spi.AuthorizationFailure) failure);
        } else if (failure instanceof java.io.InterruptedIOException) {
          failure = GiveUps.tokenWaitEnded(settlement, this, (java.io.InterruptedIOException) failure);
        }
        result.completeExceptionally(failure);
        return;
      }
      settlement.tokenObtained(this, now);
      addedAuthorization = token;
      askGate(settlement.time.nanoTime());
    });
  }

  /** Asks the gate (if any) to admit attempt {@code attempt}, without parking this thread. */
  private void askGate(long now) {
    if (gate == null) {
      onGateAnswer(null, null);
      return;
    }
    if (gate.admitsWithoutIo()) {
      onGateAnswer(settlement.askGate(gate, now, untilDeadline(now)), null);
      return;
    }
    CompletionStage<Admission> answer;
    try {
      answer = settlement.askGateAsync(gate, now, untilDeadline(now));
    } catch (RuntimeException e) {
      answer = CompletableFuture.failedFuture(e);
    }
    answer.whenComplete(this::onGateAnswer);
  }

  /**
   * The gate's answer: a wait is scheduled, a permit sends the attempt. A store that cannot answer
   * must not stop the call: it goes ahead ungated (a store degrades to its local gate itself; this
   * only guards against one that fails anyway).
   */
  private void onGateAnswer(Admission answer, Throwable storeFailure) {
    if (storeFailure != null) answer = null;
    if (result.isDone() || callerCancelled) {
      // Cancelled while it waited for the gate's answer or a token: nothing is sent.
      if (answer instanceof Permit) ((Permit) answer).release();
      return;
    }
    try {
      long wait = settlement.onGateAnswer(this, answer, settlement.time.nanoTime());
      if (wait > 0) schedule(this::next, wait);
      else send();
    } catch (AssignrException e) {
      result.completeExceptionally(e);
    }
  }

  private void send() {
    CompletableFuture<R> future;
    CallObservation.Scope scope = observation.attemptStarted(attempt);
    try {
      future = attempts.call(this);
      if (future == null) throw new NullPointerException("AsyncAttempt returned null");
    } catch (Throwable t) {
      future = CompletableFuture.failedFuture(t);
    } finally {
      scope.close();
    }
    inFlight = future;
    if (result.isCancelled()) future.cancel(true);
    future.whenComplete(this::completed);
  }

  private void completed(R response, Throwable error) {
    inFlight = null;
    Decision decision = settlement.conclude(this, response, error == null ? null : Exceptions.unwrap(error));
    if (result.isDone() || callerCancelled) {
      R unused = this.response;
      this.response = null;
      if (unused != null) adapter.discard(unused);
      return;
    }
    try {
      if (decision instanceof Decision.Retry) {
        long delay = settlement.delayOf(this, (Decision.Retry) decision);
        discard(this.response, last);
        this.response = null;
        attempt++;
        if (delay == 0) next(); // a retry that needs no wait (after a 401's renewal) needs no scheduler
        else schedule(this::next, delay);
        return;
      }
      R value = this.response;
      this.response = null;
      R returned = GiveUps.finish(settlement, this, (Decision.Stop) decision, last, value);
      if (!result.complete(returned) && returned != null) adapter.discard(returned);
    } catch (Throwable t) {
      result.completeExceptionally(t);
    }
  }

  private void schedule(Runnable task, long nanos) {
    pendingWait = settlement.time.schedule(task, nanos);
    if (result.isCancelled()) pendingWait.cancel();
  }
}
