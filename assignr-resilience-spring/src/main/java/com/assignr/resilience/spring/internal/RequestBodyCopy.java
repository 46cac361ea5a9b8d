package com.assignr.resilience.spring.internal;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.reactivestreams.Publisher;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.client.reactive.ClientHttpRequest;
import org.springframework.http.client.reactive.ClientHttpRequestDecorator;
import org.springframework.web.reactive.function.BodyInserter;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A bounded copy of a {@code WebClient} request body, so that the engine may send it again when
 * Assignr provably did not act on it (a 429, a 503, a connection never established). Not for users.
 *
 * <h2>Why copy, and when?</h2>
 *
 * <p>A {@link BodyInserter} cannot be asked whether it may run twice: {@code bodyValue(game)}
 * encodes the object again, but {@code body(flux, …)} subscribes to the caller's publisher again
 * (a stream read once, a query run twice), and {@code DataBuffer}s handed in are released once
 * written. So the inserter runs once, in the first attempt that gets as far as writing the body,
 * with the client's own codecs (only an exchange has them). What it writes is read ahead, before
 * the client is handed its first byte, and kept:
 *
 * <ul>
 *   <li>The whole body within {@code limit} bytes: it is sent, and kept, with the {@code
 *       Content-Type} and {@code Content-Length} the writer set; every later attempt writes the
 *       same bytes with the same headers.
 *   <li>More than {@code limit} bytes: what was read, then the rest as it comes, sent once; at most
 *       {@code limit} bytes plus one buffer are held. A later attempt sends nothing ({@link
 *       #canSend()} is false) and fails with {@link #notReplayable()}.
 *   <li>A body written with {@code writeAndFlushWith} (a stream meant to be flushed as it goes), a
 *       publisher that fails, or a write cut short (the exchange cancelled): sent once, as above.
 * </ul>
 *
 * <p>The engine is told the body is replayable when the call starts (its {@code RequestInfo} is
 * fixed then), so a body that turns out over the limit is refused only when a later attempt comes:
 * after the wait that attempt was scheduled for. Assignr's writes are a few hundred bytes, far
 * below the 1 MiB default.
 */
final class RequestBodyCopy {
  private enum State { UNSENT, WRITING, COPIED, SENT_ONCE }

  private final BodyInserter<?, ? super ClientHttpRequest> original;
  private final long limit;
  private final String description;
  private final AtomicReference<State> state = new AtomicReference<>(State.UNSENT);
  // Written before state becomes COPIED, read after.
  private byte[] copy;
  private boolean noBody;
  private String contentType;
  private String contentLength;

  RequestBodyCopy(BodyInserter<?, ? super ClientHttpRequest> original, long limit, String description) {
    this.original = original;
    this.limit = limit;
    this.description = description;
  }

  /** Whether an attempt may write the body: not yet read, or copied whole. */
  boolean canSend() {
    State s = state.get();
    return s == State.UNSENT || s == State.COPIED;
  }

  /** Why a later attempt is not sent. */
  IllegalStateException notReplayable() {
    return new IllegalStateException(description + " was not sent again: its body went out once and no copy"
        + " was kept (more than " + limit + " bytes, written with flushes, failed, or cut short)");
  }

  /**
   * The inserter every attempt carries: the original's until its body is read, the copy afterwards.
   * The original may run more than once (Reactor Netty runs a request again on its own when a pooled
   * connection turned out closed before anything was sent); its body is read only once.
   */
  BodyInserter<Void, ClientHttpRequest> inserter() {
    return (message, context) -> {
      if (state.get() == State.COPIED) return replay(message);
      if (!canSend()) return Mono.error(notReplayable());
      return original.insert(new Copying(message), context);
    };
  }

  private Mono<Void> replay(ClientHttpRequest message) {
    HttpHeaders headers = message.getHeaders();
    if (contentType != null) headers.set(HttpHeaders.CONTENT_TYPE, contentType);
    if (contentLength != null) headers.set(HttpHeaders.CONTENT_LENGTH, contentLength);
    if (noBody) return message.setComplete();
    return message.writeWith(copyOfBody(message));
  }

  private Mono<DataBuffer> copyOfBody(ClientHttpRequest message) {
    return Mono.fromSupplier(() -> message.bufferFactory().wrap(copy));
  }

  private void copied(byte[] bytes, boolean none, String type, String length) {
    copy = bytes;
    noBody = none;
    contentType = type;
    contentLength = length;
    state.set(State.COPIED);
  }

  /** The first attempt's request, reading its body ahead before writing it. */
  private final class Copying extends ClientHttpRequestDecorator {
    Copying(ClientHttpRequest delegate) {
      super(delegate);
    }

    /**
     * Writes a relay of {@code body} that reads it ahead and decides before handing the client its
     * first byte: the relay is what the client subscribes to, whenever it does (the JDK connector
     * subscribes after {@code writeWith} returns). A second subscription (the client sending again
     * on its own) gets the copy, or fails when there is none.
     */
    @Override
    public Mono<Void> writeWith(Publisher<? extends DataBuffer> body) {
      // The writer set these before writing; they are sent again with the copy.
      String type = getHeaders().getFirst(HttpHeaders.CONTENT_TYPE);
      String length = getHeaders().getFirst(HttpHeaders.CONTENT_LENGTH);
      return getDelegate().writeWith(Flux.defer(() -> {
        if (state.get() == State.COPIED) return copyOfBody(getDelegate());
        if (!state.compareAndSet(State.UNSENT, State.WRITING)) return Mono.error(notReplayable());
        long[] size = {0};
        return Flux.<DataBuffer>from(body)
            // One list of every buffer while the body is within the limit; once over it, the list
            // so far, then one buffer a list.
            .bufferUntil(buffer -> (size[0] += buffer.readableByteCount()) > limit)
            .switchOnFirst((first, lists) -> {
              if (first.isOnNext() && size[0] <= limit) {
                copied(join(first.get(), size[0]), false, type, length);
              } else if (first.isOnComplete()) {
                copied(new byte[0], false, type, length);
              } else {
                state.set(State.SENT_ONCE);
              }
              return lists;
            })
            .concatMapIterable(list -> list);
      }));
    }

    @Override
    public Mono<Void> writeAndFlushWith(Publisher<? extends Publisher<? extends DataBuffer>> body) {
      return getDelegate().writeAndFlushWith(Flux.defer(() -> state.compareAndSet(State.UNSENT, State.SENT_ONCE)
          ? Flux.from(body) : Flux.error(notReplayable())));
    }

    @Override
    public Mono<Void> setComplete() {
      copied(null, true, getHeaders().getFirst(HttpHeaders.CONTENT_TYPE),
          getHeaders().getFirst(HttpHeaders.CONTENT_LENGTH));
      return getDelegate().setComplete();
    }

    /** The buffers' readable bytes, copied without moving their read positions. */
    private byte[] join(List<DataBuffer> buffers, long total) {
      byte[] bytes = new byte[(int) total];
      int at = 0;
      for (DataBuffer b : buffers) {
        int n = b.readableByteCount();
        b.toByteBuffer(b.readPosition(), ByteBuffer.wrap(bytes), at, n);
        at += n;
      }
      return bytes;
    }
  }
}
