package com.assignr.resilience;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.CompletableFuture;

/**
 * The retry loop shared by both adapters and open to any other HTTP client. For every call it
 * refuses plain HTTP, finds the quota's rate-limit gate, passes each attempt through the gate and
 * the circuit breaker, settles each attempt's outcome (gate, breaker, events, then the {@link
 * RetryEngine}'s decision) and waits, through the {@link TimeSource} only, for as long as the
 * engine says. Responses it does not return are handed to {@link ResponseAdapter#discard} before
 * the next attempt.
 *
 * <pre>{@code
 * MyResponse response = resilience.executor().execute(
 *     RequestInfo.of("GET", uri, true),
 *     CallOptions.none().withCredentials(authorization),
 *     attempt -> myClient.get(uri, attempt.nanosLeft()),
 *     myResponseAdapter);
 * }</pre>
 *
 * <p>Inside, the pieces beside this class each do one thing: {@code CallState} (one call: its
 * deadline, its attempt, its earlier failures; the {@link AttemptContext} of every attempt), {@code
 * Settlement} (open, admit, attempt to outcome, settle), {@code GiveUps} (how a call ends), and the
 * two loops, {@code BlockingLoop} and {@code AsyncLoop}.
 */
public final class RetryExecutor {
  /** One attempt of a blocking call. */
  @FunctionalInterface
  public interface Attempt<R> {
    /**
     * Sends the attempt.
     *
     * @param context the attempt's number and the time left
     * @return the response
     * @throws IOException when the attempt fails
     */
    R call(AttemptContext context) throws IOException;
  }

  /** One attempt of a non-blocking call. Throwing is treated like returning a failed future. */
  @FunctionalInterface
  public interface AsyncAttempt<R> {
    /**
     * Starts the attempt.
     *
     * @param context the attempt's number and the time left
     * @return the response, when it arrives
     */
    CompletableFuture<R> call(AttemptContext context);
  }

  private final Settlement settlement;

  RetryExecutor(Settlement settlement) {
    this.settlement = settlement;
  }

  Settlement settlement() {
    return settlement;
  }

  /**
   * Runs {@code attempt} until the engine stops, waiting on this thread.
   *
   * @return the final response: a success, or (unless {@code throwOnFailure}) the last failure
   * @throws InsecureRequestException for plain HTTP, before anything is sent
   * @throws AssignrException when the call cannot succeed and exceptions were asked for, or no
   *     response is left to return (I/O failures, caps, an open circuit)
   * @throws InterruptedIOException when cancelled or interrupted (the interrupt flag is restored)
   */
  public <R> R execute(RequestInfo request, CallOptions options, Attempt<R> attempt,
      ResponseAdapter<R> adapter) throws IOException {
    return BlockingLoop.execute(settlement, request, options, attempt, adapter);
  }

  /**
   * Runs {@code attempt} until the engine stops, scheduling every wait instead of holding a thread.
   * Cancelling the returned future withdraws a pending wait and cancels the attempt in flight.
   */
  public <R> CompletableFuture<R> executeAsync(RequestInfo request, CallOptions options,
      AsyncAttempt<R> attempt, ResponseAdapter<R> adapter) {
    return AsyncLoop.start(settlement, request, options, attempt, adapter);
  }
}
