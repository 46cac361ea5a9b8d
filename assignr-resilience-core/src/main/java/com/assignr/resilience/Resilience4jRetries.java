package com.assignr.resilience;

import com.assignr.resilience.spi.ResponseAdapter;

import io.github.resilience4j.core.functions.Either;
import io.github.resilience4j.retry.RetryConfig;
import java.util.Locale;
import java.util.Objects;

/**
 * A bridge for teams that already wrap their calls in a Resilience4j {@code Retry}: a {@link
 * RetryConfig} that retries what this library's engine would retry and waits as long as it would,
 * reading Assignr's rate-limit headers for each 429.
 *
 * <pre>{@code
 * RetryConfig config =
 *     Resilience4jRetries.retryConfig(resilience, "GET", OkHttpResponseAdapter.get());
 * Retry retry = Retry.of("assignr", config);
 * Response response = retry.executeCallable(() -> client.newCall(request).execute());
 * }</pre>
 *
 * <p>({@code OkHttpResponseAdapter} is in {@code assignr-resilience-okhttp}; for any other
 * client, implement {@link ResponseAdapter} in a few lines.)
 *
 * <p>What it cannot do, because a Resilience4j {@code Retry} owns the loop: share the rate-limit
 * gate across threads, stop early when a wait would pass a deadline, or give up on a wait longer
 * than {@code maxServerWait} (such a 429 is simply not retried). Requires {@code
 * resilience4j-retry} on the class or module path (an optional dependency of core).
 */
public final class Resilience4jRetries {
  private Resilience4jRetries() {}

  /**
   * A config for calls with {@code method}, whose responses are read through {@code adapter}.
   * Discarded responses are released through {@link ResponseAdapter#discard} before each retry.
   */
  @SuppressWarnings("exports") // resilience4j-retry is optional: see module-info.java
  public static <R> RetryConfig retryConfig(AssignrResilience resilience, String method,
      ResponseAdapter<R> adapter) {
    Objects.requireNonNull(adapter, "adapter");
    RetryEngine engine = resilience.engine();
    // Only the method matters to the engine's rules; the body is assumed replayable because a
    // Resilience4j Retry re-runs the caller's whole supplier, which builds the request anew.
    RequestInfo request = new RequestInfo(method.toUpperCase(Locale.ROOT), "https", "", "/", true);
    return RetryConfig.<R>custom()
        .maxAttempts(resilience.policy().maxAttempts())
        .retryOnResult(response -> firstDecision(engine, request, responseOutcome(adapter, response)))
        .retryOnException(failure -> firstDecision(engine, request, failureOutcome(failure)))
        .intervalBiFunction((Integer attempt, Either<Throwable, R> outcome) -> {
          // Resilience4j asks for the interval only when it will retry, so attempt < maxAttempts.
          Outcome o = outcome.isRight() ? responseOutcome(adapter, outcome.get()) : failureOutcome(outcome.getLeft());
          Decision decision = engine.decide(request, attempt, o, Long.MAX_VALUE);
          return decision instanceof Decision.Retry
              ? ((Decision.Retry) decision).delay().toMillis()
              : resilience.policy().initialBackoff().toMillis();
        })
        .consumeResultBeforeRetryAttempt((attempt, response) -> adapter.discard(response))
        .failAfterMaxAttempts(false)
        .build();
  }

  private static boolean firstDecision(RetryEngine engine, RequestInfo request, Outcome outcome) {
    return engine.decide(request, 1, outcome, Long.MAX_VALUE) instanceof Decision.Retry;
  }

  private static <R> Outcome responseOutcome(ResponseAdapter<R> adapter, R response) {
    return Outcome.response(adapter.status(response), adapter.headers(response));
  }

  private static Outcome failureOutcome(Throwable failure) {
    return Outcome.failure(failure, FailureClassifier.classify(failure, false));
  }
}
