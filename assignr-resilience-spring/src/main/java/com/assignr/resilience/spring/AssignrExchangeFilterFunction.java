package com.assignr.resilience.spring;

import com.assignr.resilience.AssignrResilience;
import com.assignr.resilience.InvalidSettingsException;
import com.assignr.resilience.spring.internal.WebClientCall;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.ExchangeFunction;
import reactor.core.publisher.Mono;

/**
 * A Spring {@link ExchangeFilterFunction} that makes every call of a {@code WebClient} (and of the
 * HTTP service clients built on one) to Assignr obey its rate limits and error rules, as configured
 * by one {@link AssignrResilience}: the same executor, gate and policy as the other adapters,
 * without holding a thread while a call waits.
 *
 * <pre>{@code
 * WebClient assignr = WebClient.builder()
 *     .baseUrl("https://api.assignr.com/api/v2")
 *     .filter(AssignrExchangeFilterFunction.create(resilience))
 *     .build();
 *
 * Mono<String> games = assignr.get().uri("/sites/{id}/games", 1)
 *     .attributes(AssignrExchangeFilterFunction.callTimeout(Duration.ofSeconds(30)))
 *     .retrieve().bodyToMono(String.class);
 * }</pre>
 *
 * <p>For each subscription it:
 *
 * <ul>
 *   <li>adds {@code Accept: application/vnd.assignr.v2.hal+json} unless the request has an {@code
 *       Accept}, and on a POST without a {@code Content-Type} (with or without a body: Assignr asks
 *       it of every POST), {@link AssignrResilience#writeContentType()};
 *   <li>refuses plain {@code http://} before anything is sent (loopback only when allowed);
 *   <li>passes every attempt through the rate-limit gate of the request's host and {@code
 *       Authorization} (asked without parking a thread), and retries as core's engine decides. Every
 *       wait, for the gate or a backoff, is a task scheduled on the configuration's {@code
 *       TimeSource}: a thousand waiting calls are a thousand tasks, not a thousand threads. When the
 *       library manages OAuth tokens, each attempt carries the current one;
 *   <li>calls the rest of the chain ({@code next.exchange}) once per attempt, in the subscriber's
 *       Reactor {@code Context}. A response it does not return is read to its end into a bounded
 *       excerpt (for the exception's message) and its buffers released, so the connection goes back
 *       to its pool.
 * </ul>
 *
 * <p><b>Request bodies.</b> A {@code BodyInserter} may be single-use (a {@code Flux} read from a
 * stream, {@code DataBuffer}s released once written), so the body is never written twice by the
 * inserter: as the first attempt writes it, with the client's own codecs, the filter reads it ahead
 * into a copy of at most {@link Builder#replayCopyLimit(long) replayCopyLimit} bytes (1 MiB by
 * default) before a byte of the request goes out, and later attempts send that copy (with the same
 * {@code Content-Type} and {@code Content-Length}). A body over the limit is sent once, as it comes,
 * and never again: a later attempt then fails at once with an {@link IllegalStateException}
 * without sending anything. So a POST is sent again after a 429 or a 503, never after a 500 or a
 * lost answer.
 *
 * <p><b>Cancellation and deadline.</b> Disposing the subscription withdraws a pending wait and
 * cancels the exchange in flight; nothing more is sent. The call's deadline is {@link
 * #callTimeout(Duration)} when the request carries it, else {@link Builder#callTimeout(Duration)},
 * and always the policy's {@code totalTimeout}, whichever is earliest: the filter gives up at once
 * rather than wait past it. With a call timeout, an attempt in flight is also bounded by the time
 * left, on Reactor's timer (as the JDK adapter leaves it to the JDK's); without one, only the waits
 * are.
 *
 * <p><b>Responses or exceptions.</b> By default the final response is emitted whatever its status,
 * so {@code retrieve()} raises Spring's {@code WebClientResponseException} for a 409 or for a 5xx
 * that was not retried or kept failing. With {@link AssignrResilience#throwOnFailure()} the {@code
 * Mono} fails with the library's typed exception instead ({@code ConflictException}, {@code
 * RateLimitedException} with {@code retryAt()}…), as it does, in both modes, when no response is
 * left to return (a {@code TransportException} with the connector's {@code IOException} as its
 * cause, where Spring would raise a {@code WebClientRequestException}).
 *
 * <p>Add this filter after any that sets {@code Authorization} (filters run in the order added), or
 * name the quota with {@code QuotaKey.fixed(...)}. Spring Framework 7, and 6.2 (Spring Boot 3.5);
 * {@code spring-webflux} and {@code reactor-core} come from the application.
 */
public final class AssignrExchangeFilterFunction implements ExchangeFilterFunction {
  /**
   * The request attribute that holds a call's deadline, a {@link Duration}; set it with {@link
   * #callTimeout(Duration)}.
   */
  public static final String CALL_TIMEOUT_ATTRIBUTE = AssignrExchangeFilterFunction.class.getName() + ".callTimeout";

  /** 1 MiB: far above any Assignr write, small enough to hold for every call waiting in the gate. */
  public static final long DEFAULT_REPLAY_COPY_LIMIT = 1024 * 1024;
  /** The largest copy a Java array can hold. */
  public static final long MAX_REPLAY_COPY_LIMIT = Integer.MAX_VALUE - 8;

  private final AssignrResilience resilience;
  private final long replayCopyLimit;
  private final Duration callTimeout;

  private AssignrExchangeFilterFunction(Builder b) {
    this.resilience = b.resilience;
    this.replayCopyLimit = b.replayCopyLimit;
    this.callTimeout = b.callTimeout;
  }

  /**
   * A filter for {@code resilience} with the default settings; every client and adapter derived
   * from one instance shares its rate-limit gates.
   *
   * @param resilience the configuration
   * @return a new filter
   */
  public static AssignrExchangeFilterFunction create(AssignrResilience resilience) {
    return builder(resilience).build();
  }

  /**
   * A builder for a filter applying {@code resilience}.
   *
   * @param resilience the configuration
   * @return a new builder
   */
  public static Builder builder(AssignrResilience resilience) {
    return new Builder(Objects.requireNonNull(resilience, "resilience"));
  }

  /**
   * Sets a call's deadline, for {@code WebClient}'s {@code attributes(...)}: the whole call,
   * waits and retries included, ends by then. It replaces the filter's {@link
   * Builder#callTimeout(Duration)} for this request; the policy's {@code totalTimeout} still applies.
   *
   * <pre>{@code
   * client.post().uri("/sites/1/games").bodyValue(game)
   *     .attributes(AssignrExchangeFilterFunction.callTimeout(Duration.ofSeconds(10)))
   *     .retrieve().toBodilessEntity();
   * }</pre>
   *
   * @param timeout positive
   * @return what sets the attribute
   * @throws InvalidSettingsException naming {@code callTimeout} and its value, when not positive
   */
  public static Consumer<Map<String, Object>> callTimeout(Duration timeout) {
    List<InvalidSettingsException.Problem> problems = new ArrayList<>();
    checkTimeout(timeout, false, problems);
    if (!problems.isEmpty()) throw new InvalidSettingsException("AssignrExchangeFilterFunction", problems);
    return attributes -> attributes.put(CALL_TIMEOUT_ATTRIBUTE, timeout);
  }

  /**
   * A builder starting from this filter's settings.
   *
   * @return a new builder
   */
  public Builder toBuilder() {
    return new Builder(resilience).replayCopyLimit(replayCopyLimit).callTimeout(callTimeout);
  }

  /**
   * The configuration this filter applies.
   *
   * @return the configuration
   */
  public AssignrResilience resilience() {
    return resilience;
  }

  /**
   * See {@link Builder#replayCopyLimit(long)}.
   *
   * @return bytes
   */
  public long replayCopyLimit() {
    return replayCopyLimit;
  }

  /**
   * See {@link Builder#callTimeout(Duration)}.
   *
   * @return the default deadline of a call, or null for none
   */
  public Duration callTimeout() {
    return callTimeout;
  }

  /**
   * Runs the exchange through the executor, one {@code next.exchange} per attempt. Each
   * subscription is a call of its own.
   *
   * @param request the request, whose headers the filter completes
   * @param next the rest of the chain
   * @return the final response, or the failure as the class comment says
   */
  @Override
  public Mono<ClientResponse> filter(ClientRequest request, ExchangeFunction next) {
    return Mono.deferContextual(context -> Mono.fromFuture(
            WebClientCall.start(request, next, context, resilience, replayCopyLimit, callTimeout)))
        // A response that lost a race with the subscriber's cancellation is released, not leaked.
        .doOnDiscard(ClientResponse.class, WebClientCall::release);
  }

  @Override
  public String toString() {
    return "AssignrExchangeFilterFunction{replayCopyLimit=" + replayCopyLimit + ", callTimeout=" + callTimeout
        + ", " + resilience + '}';
  }

  private static void checkTimeout(Duration timeout, boolean nullAllowed, List<InvalidSettingsException.Problem> problems) {
    if (timeout == null ? !nullAllowed : timeout.isNegative() || timeout.isZero()) {
      problems.add(new InvalidSettingsException.Problem("callTimeout",
          nullAllowed ? "must be positive, or null for none" : "must be positive", String.valueOf(timeout)));
    }
  }

  /** Builds an {@link AssignrExchangeFilterFunction}; the setters only store, {@link #build()} checks. */
  public static final class Builder {
    private final AssignrResilience resilience;
    private long replayCopyLimit = DEFAULT_REPLAY_COPY_LIMIT;
    private Duration callTimeout;

    private Builder(AssignrResilience resilience) {
      this.resilience = resilience;
    }

    /**
     * The most bytes of a request body copied, as the first attempt writes it, so that later
     * attempts can send it again when the rules allow (after a 429 or a 503, or when no connection
     * was established). A larger body is sent once and never again; 0 copies nothing (a request
     * with a body is then never sent twice). Default {@link #DEFAULT_REPLAY_COPY_LIMIT}.
     *
     * @param bytes 0 to {@link #MAX_REPLAY_COPY_LIMIT}
     * @return this builder
     */
    public Builder replayCopyLimit(long bytes) {
      this.replayCopyLimit = bytes;
      return this;
    }

    /**
     * The deadline of every call that does not carry its own ({@link
     * AssignrExchangeFilterFunction#callTimeout(Duration)}). Default none: the policy's {@code
     * totalTimeout} bounds waits and retries, and an attempt in flight is bounded as the bare
     * client bounds it.
     *
     * @param timeout positive, or null for none
     * @return this builder
     */
    public Builder callTimeout(Duration timeout) {
      this.callTimeout = timeout;
      return this;
    }

    /**
     * The filter.
     *
     * @return the filter
     * @throws InvalidSettingsException naming every setting out of range and its value
     */
    public AssignrExchangeFilterFunction build() {
      List<InvalidSettingsException.Problem> problems = new ArrayList<>();
      if (replayCopyLimit < 0 || replayCopyLimit > MAX_REPLAY_COPY_LIMIT) {
        problems.add(new InvalidSettingsException.Problem("replayCopyLimit",
            "must be between 0 and " + MAX_REPLAY_COPY_LIMIT + " bytes", Long.toString(replayCopyLimit)));
      }
      checkTimeout(callTimeout, true, problems);
      if (!problems.isEmpty()) throw new InvalidSettingsException("AssignrExchangeFilterFunction", problems);
      return new AssignrExchangeFilterFunction(this);
    }
  }
}
