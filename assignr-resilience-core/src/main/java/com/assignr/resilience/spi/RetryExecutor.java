package com.assignr.resilience.spi;

import com.assignr.resilience.AssignrException;
import com.assignr.resilience.InsecureRequestException;
import com.assignr.resilience.RequestInfo;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.CompletableFuture;

/**
 * The retry loop every adapter runs its client's calls through, open to any other HTTP client
 * ({@code AssignrResilience.executor()} gives the one of a configuration). For every call it
 * refuses plain HTTP, finds the quota's rate-limit gate, passes each attempt through the gate and
 * the circuit breaker, settles each attempt's outcome (gate, breaker, events, then the engine's
 * decision) and waits, through the configuration's {@link com.assignr.resilience.TimeSource}
 * only, for as long as the engine says. Responses it does not return are handed to {@link
 * ResponseAdapter#discard} before the next attempt.
 *
 * <pre>{@code
 * MyResponse response = resilience.executor().execute(
 *     RequestInfo.of("GET", uri, true),
 *     CallOptions.none().withCredentials(authorization),
 *     attempt -> myClient.get(uri, attempt.nanosLeft()),
 *     myResponseAdapter);
 * }</pre>
 *
 * <p>An adapter sends exactly one request per attempt: whatever its client would retry on its own
 * must be switched off below the executor.
 */
public interface RetryExecutor {

  /**
   * One attempt of a blocking call.
   *
   * @param <R> the client's response type
   */
  @FunctionalInterface
  interface Attempt<R> {
    /**
     * Sends the attempt.
     *
     * @param context the attempt's number and the time left
     * @return the response
     * @throws IOException when the attempt fails
     */
    R call(AttemptContext context) throws IOException;
  }

  /**
   * One attempt of a non-blocking call. Throwing is treated like returning a failed future.
   *
   * @param <R> the client's response type
   */
  @FunctionalInterface
  interface AsyncAttempt<R> {
    /**
     * Starts the attempt.
     *
     * @param context the attempt's number and the time left
     * @return the response, when it arrives
     */
    CompletableFuture<R> call(AttemptContext context);
  }

  /**
   * One attempt of a blocking call whose adapter settles it when the headers arrive.
   *
   * @param <R> the client's response type
   */
  @FunctionalInterface
  interface HeaderTimeAttempt<R> {
    /**
     * Sends the attempt.
     *
     * @param context the attempt's context, to be settled when the headers arrive
     * @return the response
     * @throws IOException when the attempt fails
     */
    R call(HeaderTimeContext context) throws IOException;
  }

  /**
   * One attempt of a non-blocking call whose adapter settles it when the headers arrive.
   *
   * @param <R> the client's response type
   */
  @FunctionalInterface
  interface AsyncHeaderTimeAttempt<R> {
    /**
     * Starts the attempt.
     *
     * @param context the attempt's context, to be settled when the headers arrive
     * @return the response, when it arrives
     */
    CompletableFuture<R> call(HeaderTimeContext context);
  }

  /**
   * Runs {@code attempt} until the engine stops, waiting on this thread.
   *
   * @param <R> the client's response type
   * @param request what is sent
   * @param options the caller's deadline, cancellation and credentials
   * @param attempt sends one attempt
   * @param adapter reads the client's responses
   * @return the final response: a success, or (unless {@code throwOnFailure}) the last failure
   * @throws InsecureRequestException for plain HTTP, before anything is sent
   * @throws AssignrException when the call cannot succeed and exceptions were asked for, or no
   *     response is left to return (I/O failures, caps, an open circuit)
   * @throws InterruptedIOException when cancelled or interrupted (the interrupt flag is restored)
   * @throws IOException as above
   */
  <R> R execute(RequestInfo request, CallOptions options, Attempt<R> attempt, ResponseAdapter<R> adapter)
      throws IOException;

  /**
   * Runs {@code attempt} until the engine stops, scheduling every wait instead of holding a thread.
   * Cancelling the returned future withdraws a pending wait and cancels the attempt in flight.
   *
   * @param <R> the client's response type
   * @param request what is sent
   * @param options the caller's deadline, cancellation and credentials
   * @param attempt starts one attempt
   * @param adapter reads the client's responses
   * @return the final response, or the failure {@link #execute} would throw
   */
  <R> CompletableFuture<R> executeAsync(RequestInfo request, CallOptions options, AsyncAttempt<R> attempt,
      ResponseAdapter<R> adapter);

  /**
   * {@link #execute} for a client that settles each attempt when its headers arrive ({@link
   * HeaderTimeContext#settleOnHeaders}).
   *
   * @param <R> the client's response type
   * @param request what is sent
   * @param options the caller's deadline, cancellation and credentials
   * @param attempt sends one attempt
   * @param adapter reads the client's responses
   * @return as {@link #execute}
   * @throws IOException as {@link #execute}
   */
  <R> R executeSettlingOnHeaders(RequestInfo request, CallOptions options, HeaderTimeAttempt<R> attempt,
      ResponseAdapter<R> adapter) throws IOException;

  /**
   * {@link #executeAsync} for a client that settles each attempt when its headers arrive ({@link
   * HeaderTimeContext#settleOnHeaders}).
   *
   * @param <R> the client's response type
   * @param request what is sent
   * @param options the caller's deadline, cancellation and credentials
   * @param attempt starts one attempt
   * @param adapter reads the client's responses
   * @return as {@link #executeAsync}
   */
  <R> CompletableFuture<R> executeAsyncSettlingOnHeaders(RequestInfo request, CallOptions options,
      AsyncHeaderTimeAttempt<R> attempt, ResponseAdapter<R> adapter);
}
