package com.assignr.resilience.spring.internal;

import com.assignr.resilience.AssignrResilience;
import com.assignr.resilience.RequestInfo;
import com.assignr.resilience.internal.DefaultHeaders;
import com.assignr.resilience.spi.CallOptions;
import com.assignr.resilience.spi.HeaderTimeContext;
import com.assignr.resilience.spring.AssignrExchangeFilterFunction;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.springframework.http.HttpHeaders;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFunction;
import reactor.util.context.ContextView;

/**
 * One {@code WebClient} call through core's executor: the request prepared once (Assignr's
 * headers, the body behind its {@link RequestBodyCopy}), then one {@link WebClientAttempt} per
 * attempt. The deadline, the HTTPS check, the gate, every decision and every wait are core's; this
 * class translates only what the filter alone sees. Not for users.
 *
 * <p>The executor settles each attempt when its headers arrive ({@code
 * executeAsyncSettlingOnHeaders}), as the JDK adapter does: a response that will be returned keeps
 * its body unread for the caller, any other is drained at once into an excerpt. Reading an excerpt
 * later, when the executor builds its exception, would have to block.
 */
public final class WebClientCall {
  /** UTF-8 takes at most 4 bytes a character. */
  private static final int MAX_BYTES_PER_CHAR = 4;

  private WebClientCall() {}

  /**
   * Starts a call. Cancelling the returned future cancels the executor's call: its pending wait is
   * withdrawn and the exchange in flight cancelled.
   *
   * @param context the subscriber's Reactor context, which every attempt's exchange runs in
   * @param copyLimit the most body bytes copied for a replay; 0 for none
   * @param defaultTimeout the filter's call timeout, or null
   * @return the final response (its body unread), or the failure
   */
  public static CompletableFuture<ClientResponse> start(ClientRequest request, ExchangeFunction next,
      ContextView context, AssignrResilience resilience, long copyLimit, Duration defaultTimeout) {
    boolean hasBody = request.body() != BodyInserters.empty();
    RequestBodyCopy body = hasBody && copyLimit > 0
        ? new RequestBodyCopy(request.body(), copyLimit, request.method().name() + " " + request.url().getRawPath())
        : null;
    ClientRequest prepared = prepare(request, body, resilience);
    // A body is replayable when there is none, or when later attempts can send the first one's copy
    // (if it turns out over the limit, RequestBodyCopy refuses to send it again).
    RequestInfo info = RequestInfo.of(request.method().name(), request.url(), !hasBody || body != null);
    Duration timeout = timeout(request, defaultTimeout);
    // With the caller's deadline, each attempt in flight is bounded by the time left; without one
    // only the waits are (as the JDK adapter does).
    boolean bounded = timeout != null;
    int excerptBytes = resilience.bodyExcerptChars() * MAX_BYTES_PER_CHAR;

    CompletableFuture<ClientResponse> result = new CompletableFuture<>();
    CallOptions options = CallOptions.none().withTimeout(timeout).withCancellation(result::isCancelled)
        .withCredentials(prepared.headers().getFirst(HttpHeaders.AUTHORIZATION));
    CompletableFuture<WebClientResponses.Attempted> call = resilience.executor().executeAsyncSettlingOnHeaders(
        info, options, attempt -> attempt(next, prepared, body, attempt, context, excerptBytes, bounded),
        WebClientResponses.ADAPTER);
    result.whenComplete((r, e) -> {
      if (result.isCancelled()) call.cancel(true);
    });
    call.whenComplete((last, error) -> {
      if (error != null) {
        result.completeExceptionally(unwrap(error));
        return;
      }
      if (last.excerpt() != null) { // never: only a response settled as "returned" ends a call
        result.completeExceptionally(new IllegalStateException("a drained response reached the caller: " + last));
        return;
      }
      if (!result.complete(last.response())) release(last.response());
    });
    return result;
  }

  private static CompletableFuture<WebClientResponses.Attempted> attempt(ExchangeFunction next, ClientRequest prepared,
      RequestBodyCopy body, HeaderTimeContext attempt, ContextView context, int excerptBytes, boolean bounded) {
    if (body != null && !body.canSend()) {
      // Nothing is sent: the body went out once and no copy of it is kept.
      return CompletableFuture.failedFuture(body.notReplayable());
    }
    String authorization = attempt.authorization();
    java.util.Map<String, String> trace = attempt.propagationHeaders();
    ClientRequest request = authorization == null && trace.isEmpty() ? prepared
        : ClientRequest.from(prepared).headers(h -> {
          if (authorization != null) h.set(HttpHeaders.AUTHORIZATION, authorization);
          trace.forEach(h::set);
        }).build();
    return WebClientAttempt.send(next, request, attempt, context, excerptBytes, bounded);
  }

  /**
   * {@code request} with the default headers core's {@link DefaultHeaders} names ({@code Accept}
   * unless it has one; on a POST, with or without a body, the configured write content type unless
   * it has a {@code Content-Type}: the request's own headers always win), carrying {@code body}'s
   * inserter instead of its own. The request itself when nothing changes.
   */
  static ClientRequest prepare(ClientRequest request, RequestBodyCopy body, AssignrResilience resilience) {
    DefaultHeaders.Missing missing = DefaultHeaders.missing(request.method().name(), request.headers(),
        HttpHeaders::getFirst);
    if (missing == DefaultHeaders.Missing.NONE && body == null) return request;
    ClientRequest.Builder b = ClientRequest.from(request).headers(h -> {
      if (missing.accept()) h.set(DefaultHeaders.ACCEPT, AssignrResilience.ASSIGNR_MEDIA_TYPE);
      if (missing.contentType()) h.set(DefaultHeaders.CONTENT_TYPE, resilience.writeContentType());
    });
    if (body != null) b.body(body.inserter());
    return b.build();
  }

  /** The request's {@link AssignrExchangeFilterFunction#CALL_TIMEOUT_ATTRIBUTE}, else the filter's. */
  static Duration timeout(ClientRequest request, Duration defaultTimeout) {
    Object value = request.attributes().get(AssignrExchangeFilterFunction.CALL_TIMEOUT_ATTRIBUTE);
    if (value == null) return defaultTimeout;
    if (!(value instanceof Duration) || ((Duration) value).isNegative() || ((Duration) value).isZero()) {
      throw new IllegalArgumentException("request attribute " + AssignrExchangeFilterFunction.CALL_TIMEOUT_ATTRIBUTE
          + " must be a positive java.time.Duration but was " + value
          + (value == null ? "" : " (" + value.getClass().getName() + ")"));
    }
    return (Duration) value;
  }

  /** Releases a response that will not reach anyone: its body is read and dropped. Never throws. */
  public static void release(ClientResponse response) {
    WebClientResponses.release(response);
  }

  private static Throwable unwrap(Throwable t) {
    while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
