package com.assignr.resilience;

import com.assignr.resilience.spi.AuthorizationFailure;
import com.assignr.resilience.spi.Authorizer;
import com.assignr.resilience.spi.CancellationSignal;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * An {@link Authorizer} whose one answer the test completes (or fails) when it likes; a wait that
 * outlives its caller's deadline ends as the real credentials end it, with a deadline failure.
 */
final class TestAuthorizer implements Authorizer {
  final TimeSource time;
  final CompletableFuture<String> answer = new CompletableFuture<>();

  TestAuthorizer(TimeSource time) {
    this.time = time;
  }

  private static AuthorizationFailure tooLate() {
    return new AuthorizationFailure(AuthorizationFailure.Kind.UNAVAILABLE, null, true,
        "no access token within the caller's deadline", null);
  }

  @Override
  public String authorization(long maxWaitNanos, CancellationSignal cancellation) throws IOException {
    long deadline = time.nanoTime() + maxWaitNanos;
    while (!answer.isDone()) {
      if (cancellation.isCancelled()) throw new InterruptedIOException("cancelled");
      long left = deadline - time.nanoTime();
      if (left <= 0) throw tooLate();
      try {
        time.sleep(left, () -> answer.isDone() || cancellation.isCancelled());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted");
      }
    }
    try {
      return answer.join();
    } catch (CompletionException e) {
      throw (IOException) e.getCause();
    }
  }

  @Override
  public CompletableFuture<String> authorizationAsync(long maxWaitNanos) {
    CompletableFuture<String> mine = answer.copy();
    TimeSource.Cancellable timer = time.schedule(() -> mine.completeExceptionally(tooLate()), maxWaitNanos);
    mine.whenComplete((v, e) -> timer.cancel());
    return mine;
  }

  @Override
  public boolean invalidate(String authorizationThatGot401) {
    return false;
  }

  @Override
  public String quotaKey() {
    return "assignr-client#test";
  }

  @Override
  public TimeSource timeSource() {
    return time;
  }
}
