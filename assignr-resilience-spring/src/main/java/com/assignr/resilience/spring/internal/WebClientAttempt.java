package com.assignr.resilience.spring.internal;

import com.assignr.resilience.spi.HeaderLookup;
import com.assignr.resilience.spi.HeaderTimeContext;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.web.reactive.function.BodyExtractors;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFunction;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Mono;
import reactor.util.context.ContextView;

/**
 * One attempt: a subscription to {@code next.exchange(request)}, and the future the executor waits
 * on. When the status and headers arrive the executor settles the attempt ({@link
 * HeaderTimeContext#settleOnHeaders}); a response to be returned completes the future with its
 * body unread, any other is first read to its end, keeping a bounded excerpt and releasing every
 * buffer as it comes (reading it, rather than cancelling, lets the connection go back to its pool).
 *
 * <p>Cancelling the future (the executor does when the caller cancels) disposes whatever runs: the
 * exchange, which makes the connector abort it, or the body being drained. Not for users.
 */
final class WebClientAttempt extends CompletableFuture<WebClientResponses.Attempted> {
  private static final long MIN_ATTEMPT_NANOS = Duration.ofMillis(1).toNanos();

  private final HeaderTimeContext attempt;
  private final int excerptBytes;
  /** The exchange, then the body's drain: disposed on cancellation (and what is added later, at once). */
  private final Disposable.Composite running = Disposables.composite();
  /** Set when the exchange emitted its response, before its completion signal. */
  private volatile boolean responded;

  private WebClientAttempt(HeaderTimeContext attempt, int excerptBytes) {
    this.attempt = attempt;
    this.excerptBytes = excerptBytes;
  }

  /**
   * Sends {@code request} once.
   *
   * @param bounded whether the call has a caller's deadline: the exchange is then given the time
   *     left, as the JDK adapter gives it to {@code HttpRequest.timeout()}, on the client stack's own
   *     timer (Reactor's); past it the exchange is cancelled and the attempt fails
   */
  static WebClientAttempt send(ExchangeFunction next, ClientRequest request, HeaderTimeContext attempt,
      ContextView context, int excerptBytes, boolean bounded) {
    WebClientAttempt a = new WebClientAttempt(attempt, excerptBytes);
    Disposable exchange;
    try {
      Mono<ClientResponse> response = next.exchange(request);
      if (bounded) response = response.timeout(Duration.ofNanos(Math.max(attempt.nanosLeft(), MIN_ATTEMPT_NANOS)));
      exchange = response.contextWrite(context).subscribe(a::onResponse, a::onError, a::onEmpty);
    } catch (RuntimeException e) {
      a.completeExceptionally(e);
      return a;
    }
    a.running.add(exchange); // disposed at once if cancelled meanwhile
    return a;
  }

  @Override
  public boolean cancel(boolean mayInterruptIfRunning) {
    boolean cancelled = super.cancel(mayInterruptIfRunning);
    running.dispose();
    return cancelled;
  }

  private void onResponse(ClientResponse response) {
    responded = true;
    if (isDone()) { // cancelled or timed out while the response was on its way
      WebClientResponses.release(response);
      return;
    }
    int status;
    HeaderLookup headers;
    boolean returned;
    try {
      status = response.statusCode().value();
      headers = WebClientResponses.lookup(response);
      returned = attempt.settleOnHeaders(status, headers);
    } catch (RuntimeException e) {
      WebClientResponses.release(response);
      completeExceptionally(e);
      return;
    }
    if (returned) {
      if (!complete(WebClientResponses.Attempted.delivered(response, status, headers))) {
        WebClientResponses.release(response);
      }
      return;
    }
    Excerpt excerpt = new Excerpt(excerptBytes);
    Disposable drain = response.body(BodyExtractors.toDataBuffers()).subscribe(excerpt, this::completeExceptionally,
        () -> complete(new WebClientResponses.Attempted(response, status, headers, excerpt.bytes())));
    running.add(drain); // disposed at once if cancelled meanwhile
  }

  /**
   * The connector's failure. Spring wraps an I/O failure below the filters in a {@link
   * WebClientRequestException} (a runtime exception); the executor classifies by the I/O failure
   * itself (a connection refused, reset, closed before the answer), so it gets the cause.
   */
  private void onError(Throwable failure) {
    if (failure instanceof WebClientRequestException && failure.getCause() instanceof IOException) {
      failure = failure.getCause();
    } else if (failure instanceof TimeoutException) {
      failure = new IOException("the call's deadline passed while attempt " + attempt.number() + " was in flight",
          failure);
    }
    completeExceptionally(failure);
  }

  private void onEmpty() {
    if (!responded) completeExceptionally(new IOException("the exchange completed without a response"));
  }

  /** The first {@code limit} bytes of a body, each buffer released as it is read. */
  static final class Excerpt implements java.util.function.Consumer<DataBuffer> {
    private final int limit;
    private byte[] kept = new byte[0];
    private int size;

    Excerpt(int limit) {
      this.limit = limit;
    }

    @Override
    public void accept(DataBuffer buffer) {
      try {
        int take = Math.min(buffer.readableByteCount(), limit - size);
        if (take > 0) {
          if (size + take > kept.length) {
            kept = Arrays.copyOf(kept, Math.min(limit, Math.max(size + take, kept.length * 2)));
          }
          buffer.read(kept, size, take);
          size += take;
        }
      } finally {
        DataBufferUtils.release(buffer);
      }
    }

    byte[] bytes() {
      return Arrays.copyOf(kept, size);
    }
  }
}
