package com.assignr.resilience;

import com.assignr.resilience.spi.CallOptions;
import com.assignr.resilience.spi.HeaderTimeContext;
import com.assignr.resilience.spi.ResponseAdapter;
import com.assignr.resilience.spi.RetryExecutor;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;

/**
 * The {@link RetryExecutor} of one {@link AssignrResilience}. Its pieces sit beside it,
 * package-private, each doing one thing: {@code CallState} (one call: its deadline, its attempt,
 * its earlier failures; the context of every attempt), {@code FirstAttempt} (the first attempt of
 * a blocking call, free of per-call state while it succeeds), {@code Settlement} (open, admit,
 * attempt to outcome, settle), {@code GiveUps} (how a call ends), and the two loops, {@code
 * BlockingLoop} and {@code AsyncLoop}.
 *
 * <p>Every attempt's context is a {@link HeaderTimeContext}; only the {@code …SettlingOnHeaders}
 * entry points show it to the adapter, so ordinary attempts cannot settle themselves.
 */
final class DefaultRetryExecutor implements RetryExecutor {
  private final Settlement settlement;

  DefaultRetryExecutor(Settlement settlement) {
    this.settlement = settlement;
  }

  Settlement settlement() {
    return settlement;
  }

  @Override
  public <R> R execute(RequestInfo request, CallOptions options, Attempt<R> attempt,
      ResponseAdapter<R> adapter) throws IOException {
    return BlockingLoop.execute(settlement, request, options, attempt, adapter);
  }

  @Override
  public <R> CompletableFuture<R> executeAsync(RequestInfo request, CallOptions options,
      AsyncAttempt<R> attempt, ResponseAdapter<R> adapter) {
    return AsyncLoop.start(settlement, request, options, attempt, adapter);
  }

  @Override
  public <R> R executeSettlingOnHeaders(RequestInfo request, CallOptions options,
      HeaderTimeAttempt<R> attempt, ResponseAdapter<R> adapter) throws IOException {
    return execute(request, options, context -> attempt.call((HeaderTimeContext) context), adapter);
  }

  @Override
  public <R> CompletableFuture<R> executeAsyncSettlingOnHeaders(RequestInfo request, CallOptions options,
      AsyncHeaderTimeAttempt<R> attempt, ResponseAdapter<R> adapter) {
    return executeAsync(request, options, context -> attempt.call((HeaderTimeContext) context), adapter);
  }
}
