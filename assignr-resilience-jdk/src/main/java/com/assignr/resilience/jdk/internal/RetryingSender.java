package com.assignr.resilience.jdk.internal;

import com.assignr.resilience.AssignrResilience;
import com.assignr.resilience.spi.HeaderTimeContext;
import com.assignr.resilience.spi.RetryExecutor;
import com.assignr.resilience.internal.Exceptions;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.PushPromiseHandler;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;

/**
 * The adapter proper: runs {@code send} and {@code sendAsync} of the wrapped client through the
 * core {@link RetryExecutor}, one {@link AttemptHandler} per attempt. What only this client can
 * see is translated here; the deadline, the HTTPS check, the gate and every decision are core's.
 */
public final class RetryingSender {
  private final HttpClient delegate;
  private final AssignrResilience resilience;
  private final RetryExecutor executor;
  /** The most bytes of a single-use body copied so that it can be sent again; 0 for none. */
  private final long copyLimit;
  /** Where a single-use body is read for {@code sendAsync}: the client's executor, if it has one. */
  private final Executor bodyReader;

  public RetryingSender(HttpClient delegate, AssignrResilience resilience, long copyLimit) {
    this.delegate = delegate;
    this.resilience = resilience;
    this.executor = resilience.executor();
    this.copyLimit = copyLimit;
    this.bodyReader = delegate.executor().orElse(ForkJoinPool.commonPool());
  }

  /**
   * Blocking send with retries in place. Cancellation is by interrupting the calling thread: the
   * wait or the attempt in flight ends, the interrupt flag stays set, and {@link
   * InterruptedException} is thrown, as from {@code HttpClient.send}.
   */
  public <T> HttpResponse<T> send(HttpRequest request, BodyHandler<T> handler)
      throws IOException, InterruptedException {
    PreparedCall call = PreparedCall.prepare(withCopiedBody(request), resilience, false);
    Thread caller = Thread.currentThread();
    try {
      return Responses.toCaller(executor.executeSettlingOnHeaders(call.info(), call.options(caller::isInterrupted),
          attempt -> sendOnce(call, handler, attempt), new Responses<>()));
    } catch (InterruptedIOException e) {
      throw asInterrupted(e);
    }
  }

  /**
   * {@code request}, or, when its body is single-use and within the copy limit, the request with
   * the body {@link BodyCopy} makes of it, read on this thread before anything is sent.
   */
  private HttpRequest withCopiedBody(HttpRequest request) throws IOException, InterruptedException {
    if (!BodyCopy.wanted(request, copyLimit)) return request;
    BodyCopy copy = BodyCopy.start(request, copyLimit, Runnable::run);
    try {
      Duration timeout = request.timeout().orElse(null);
      BodyPublisher body = timeout == null ? copy.body().get()
          : copy.body().get(timeout.toNanos(), TimeUnit.NANOSECONDS);
      return BodyCopy.carrying(request, body);
    } catch (InterruptedException e) {
      copy.cancel();
      Thread.currentThread().interrupt();
      throw e;
    } catch (TimeoutException e) {
      copy.cancel();
      throw bodyTimedOut();
    } catch (ExecutionException e) {
      throw new IOException("reading the request body failed", e.getCause());
    }
  }

  /**
   * The JDK's own timeout covers sending the body; reading it ahead for the copy is held to the
   * same {@code timeout()}, or a stalled body would hold the call forever.
   */
  private static HttpTimeoutException bodyTimedOut() {
    return new HttpTimeoutException("request timed out while its body was read");
  }

  private <T> HttpResponse<AttemptBody<T>> sendOnce(PreparedCall call, BodyHandler<T> handler,
      HeaderTimeContext attempt) throws IOException {
    try {
      return delegate.send(call.forAttempt(attempt), new AttemptHandler<>(handler, attempt, call.excerptBytes()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      InterruptedIOException x = new InterruptedIOException("interrupted while sending");
      x.initCause(e);
      throw x;
    }
  }

  /**
   * Converts the executor's cancellation into the JDK's: an {@code InterruptedException} with the
   * interrupt flag set. An {@code InterruptedIOException} that did not come from an interrupt (a
   * custom client's own) is passed on unchanged.
   */
  private static IOException asInterrupted(InterruptedIOException e) throws InterruptedException {
    if (Thread.currentThread().isInterrupted() || hasInterruptedCause(e)) {
      Thread.currentThread().interrupt();
      InterruptedException ie = new InterruptedException(e.getMessage());
      ie.initCause(e);
      throw ie;
    }
    return e;
  }

  private static boolean hasInterruptedCause(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof InterruptedException) return true;
    }
    return false;
  }

  /**
   * Non-blocking send: every wait is a task on the {@code TimeSource}'s scheduler, every attempt a
   * future of the wrapped client. Cancelling the returned future withdraws the pending wait and
   * cancels the attempt in flight (the JDK aborts its exchange).
   */
  public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, BodyHandler<T> handler) {
    if (!BodyCopy.wanted(request, copyLimit)) return sendAsyncPrepared(request, handler);
    // A single-use body within the limit is read first (on the client's executor, or the common
    // pool), then the call starts knowing whether it can be sent again.
    CompletableFuture<HttpResponse<T>> result = new CompletableFuture<>();
    BodyCopy copy = BodyCopy.start(request, copyLimit, bodyReader);
    result.whenComplete((r, e) -> {
      if (result.isCancelled()) copy.cancel();
    });
    CompletableFuture<BodyPublisher> read = request.timeout()
        .map(t -> copy.body().copy().orTimeout(t.toNanos(), TimeUnit.NANOSECONDS))
        .orElse(copy.body());
    read.whenComplete((body, error) -> {
      if (error != null) {
        copy.cancel();
        Throwable cause = Exceptions.unwrap(error);
        result.completeExceptionally(cause instanceof TimeoutException ? bodyTimedOut()
            : new IOException("reading the request body failed", cause));
        return;
      }
      if (result.isDone()) return;
      CompletableFuture<HttpResponse<T>> sent = sendAsyncPrepared(BodyCopy.carrying(request, body), handler);
      result.whenComplete((r, e) -> {
        if (result.isCancelled()) sent.cancel(true);
      });
      sent.whenComplete((response, failure) -> {
        if (failure != null) result.completeExceptionally(Exceptions.unwrap(failure));
        else if (!result.complete(response)) Responses.release(response.body());
      });
    });
    return result;
  }

  private <T> CompletableFuture<HttpResponse<T>> sendAsyncPrepared(HttpRequest request, BodyHandler<T> handler) {
    PreparedCall call = PreparedCall.prepare(request, resilience, false);
    CompletableFuture<HttpResponse<T>> result = new CompletableFuture<>();
    CompletableFuture<HttpResponse<AttemptBody<T>>> retries = executor.executeAsyncSettlingOnHeaders(call.info(),
        call.options(result::isCancelled),
        attempt -> delegate.sendAsync(call.forAttempt(attempt),
            new AttemptHandler<>(handler, attempt, call.excerptBytes())),
        new Responses<>());
    result.whenComplete((r, e) -> {
      if (result.isCancelled()) retries.cancel(true);
    });
    retries.whenComplete((last, error) -> {
      if (error != null) {
        result.completeExceptionally(Exceptions.unwrap(error));
        return;
      }
      HttpResponse<T> response;
      try {
        response = Responses.toCaller(last);
      } catch (RuntimeException e) {
        result.completeExceptionally(e);
        return;
      }
      if (!result.complete(response)) Responses.release(response.body());
    });
    return result;
  }

  /**
   * Push promises: one attempt, never replayed (a retried exchange would hand the caller's push
   * handler promises from responses that are thrown away), through the gate and the executor's
   * checks like every other call. Assignr's API never pushes; a null handler takes the retrying path.
   */
  public <T> CompletableFuture<HttpResponse<T>> sendAsyncOnce(HttpRequest request,
      BodyHandler<T> handler, PushPromiseHandler<T> pushPromiseHandler) {
    PreparedCall call = PreparedCall.prepare(request, resilience, true);
    CompletableFuture<HttpResponse<T>> result = new CompletableFuture<>();
    CompletableFuture<HttpResponse<T>> once = executor.executeAsync(call.info(),
        call.options(result::isCancelled),
        attempt -> delegate.sendAsync(call.forAttempt(attempt), handler, pushPromiseHandler),
        Responses.plain());
    result.whenComplete((r, e) -> {
      if (result.isCancelled()) once.cancel(true);
    });
    once.whenComplete((response, error) -> {
      if (error != null) result.completeExceptionally(Exceptions.unwrap(error));
      else if (!result.complete(response)) Responses.release(response.body());
    });
    return result;
  }
}
