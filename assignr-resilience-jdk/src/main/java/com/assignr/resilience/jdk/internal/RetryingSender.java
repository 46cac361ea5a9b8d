package com.assignr.resilience.jdk.internal;

import com.assignr.resilience.AssignrResilience;
import com.assignr.resilience.RateLimitGate;
import com.assignr.resilience.RateLimitInfo;
import com.assignr.resilience.RetryExecutor;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.PushPromiseHandler;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * The adapter proper: runs {@code send} and {@code sendAsync} of the wrapped client through the
 * core {@link RetryExecutor}, one {@link AttemptHandler} per attempt.
 */
public final class RetryingSender {
  private final HttpClient delegate;
  private final AssignrResilience resilience;
  private final RetryExecutor executor;
  private final Preclassifier preclassifier;

  public RetryingSender(HttpClient delegate, AssignrResilience resilience) {
    this.delegate = delegate;
    this.resilience = resilience;
    this.executor = resilience.executor();
    this.preclassifier = new Preclassifier(resilience);
  }

  /**
   * Blocking send with retries in place. Cancellation is by interrupting the calling thread: the
   * wait or the attempt in flight ends, the interrupt flag stays set, and {@link
   * InterruptedException} is thrown, as from {@code HttpClient.send}.
   */
  public <T> HttpResponse<T> send(HttpRequest request, BodyHandler<T> handler)
      throws IOException, InterruptedException {
    PreparedCall call = PreparedCall.prepare(request, resilience, preclassifier);
    Thread caller = Thread.currentThread();
    HttpResponse<AttemptBody<T>> last;
    try {
      last = executor.execute(call.info(), call.options(caller::isInterrupted),
          ctx -> sendOnce(call, handler, ctx.number()), new Responses<>());
    } catch (InterruptedIOException e) {
      throw asInterrupted(e);
    }
    try {
      return CallerResponses.toCaller(last, handler).get();
    } catch (ExecutionException e) {
      throw rethrow(e.getCause());
    }
  }

  private <T> HttpResponse<AttemptBody<T>> sendOnce(PreparedCall call, BodyHandler<T> handler, int n)
      throws IOException {
    try {
      return delegate.send(call.forAttempt(), new AttemptHandler<>(handler, call, n));
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

  private static IOException rethrow(Throwable t) {
    if (t instanceof IOException io) return io;
    if (t instanceof RuntimeException re) throw re;
    if (t instanceof Error err) throw err;
    return new IOException(t);
  }

  /**
   * Non-blocking send: every wait is a task on the {@code TimeSource}'s scheduler, every attempt a
   * future of the wrapped client. Cancelling the returned future withdraws the pending wait and
   * cancels the attempt in flight (the JDK aborts its exchange).
   */
  public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, BodyHandler<T> handler) {
    PreparedCall call;
    try {
      call = PreparedCall.prepare(request, resilience, preclassifier);
    } catch (IOException e) {
      return CompletableFuture.failedFuture(e);
    }
    CompletableFuture<HttpResponse<T>> result = new CompletableFuture<>();
    CompletableFuture<HttpResponse<AttemptBody<T>>> retries = executor.executeAsync(call.info(),
        call.options(result::isCancelled),
        ctx -> delegate.sendAsync(call.forAttempt(), new AttemptHandler<>(handler, call, ctx.number())),
        new Responses<>());
    result.whenComplete((r, e) -> {
      if (result.isCancelled()) retries.cancel(true);
    });
    retries.whenComplete((last, error) -> {
      if (error != null) {
        result.completeExceptionally(unwrap(error));
        return;
      }
      CallerResponses.toCaller(last, handler).whenComplete((response, e) -> {
        if (e != null) {
          result.completeExceptionally(unwrap(e));
        } else if (!result.complete(response)) {
          Responses.release(response.body());
        }
      });
    });
    return result;
  }

  /**
   * Push promises: the request goes to the wrapped client once, without retries and without
   * waiting in the gate (whose answers it still teaches), because a retried exchange would hand
   * the caller's push handler promises from responses that are thrown away. Assignr's API never
   * pushes; a null handler takes the retrying path.
   */
  public <T> CompletableFuture<HttpResponse<T>> sendAsyncOnce(HttpRequest request,
      BodyHandler<T> handler, PushPromiseHandler<T> pushPromiseHandler) {
    PreparedCall call;
    try {
      call = PreparedCall.prepare(request, resilience, preclassifier);
    } catch (IOException e) {
      return CompletableFuture.failedFuture(e);
    }
    CompletableFuture<HttpResponse<T>> future;
    try {
      future = delegate.sendAsync(call.forAttempt(), handler, pushPromiseHandler);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    RateLimitGate gate = call.gate();
    if (gate != null) {
      future.thenAccept(r -> gate.learn(r.statusCode(), RateLimitInfo.from(Responses.lookup(r.headers())), resilience.timeSource().nanoTime()));
    }
    return future;
  }

  private static Throwable unwrap(Throwable t) {
    while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
