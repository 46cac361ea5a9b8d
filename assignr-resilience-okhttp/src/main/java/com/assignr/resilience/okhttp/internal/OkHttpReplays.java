package com.assignr.resilience.okhttp.internal;

import java.io.IOException;
import okhttp3.Call;
import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okio.BufferedSink;

/**
 * Keeps OkHttp from sending a write again below the adapters. Not for users.
 *
 * <h2>Who may resend a write, and why only the library</h2>
 *
 * <p>OkHttp's {@code RetryAndFollowUpInterceptor} sits below every application interceptor. With
 * {@code retryOnConnectionFailure(true)}, the default, it replays a request whose exchange failed
 * on a reused connection, whatever its method, unless its body is one-shot: a POST that Assignr
 * processed and whose answer was lost (the connection closed or reset after processing) is sent
 * again, and a second game is created, while the adapter above saw one attempt. For a GET that
 * replay is what makes a stale pooled connection cost nothing; for a write it breaks the rule that
 * a write is resent only when Assignr provably did not act on it. So a write must reach OkHttp in
 * a way that makes that replay impossible, and each resend is the engine's decision:
 *
 * <ul>
 *   <li>The call factory holds a second client for writes, {@link #writeClient}: {@code
 *       retryOnConnectionFailure(false)} and {@code followRedirects(false)}. Reads keep the
 *       caller's client, and with it OkHttp's cheap stale-connection recovery.
 *   <li>The interceptor cannot change the client it runs in, so it changes what it hands down:
 *       the body of a write goes down marked one-shot ({@link #forChain}). OkHttp then replays
 *       it only when nothing of it was sent (the connection was never established, or an HTTP/2
 *       connection was shut down before the stream opened), and never follows a 307/308 with it;
 *       reads go down untouched and keep the recovery. The body itself is replayable (or not)
 *       exactly as before: each attempt the engine decides on hands the same body down again.
 *       A bodiless write (a DELETE without a body) has nothing to mark; DELETE is idempotent.
 * </ul>
 *
 * <p>A failure after sending then reaches core as what it is, an I/O failure that Assignr may
 * have acted on, retried for idempotent methods only; a connection never established is retried
 * for every method.
 */
public final class OkHttpReplays {
  private OkHttpReplays() {}

  /** Whether {@code method} is a write: anything but GET and HEAD. */
  public static boolean isWrite(String method) {
    return !"GET".equalsIgnoreCase(method) && !"HEAD".equalsIgnoreCase(method);
  }

  /**
   * {@code client}, or a copy of it that neither follows redirects nor replays requests after a
   * connection failure; the copy shares the pool, dispatcher and everything else.
   */
  public static OkHttpClient writeClient(OkHttpClient client) {
    if (!client.followRedirects() && !client.retryOnConnectionFailure()) return client;
    return client.newBuilder().followRedirects(false).retryOnConnectionFailure(false).build();
  }

  /**
   * The request handed down the interceptor chain for one attempt: tagged with the call it belongs
   * to (so a second {@code AssignrInterceptor} below can tell it is nested) and, for a write with a
   * body, with that body marked one-shot.
   */
  public static Request forChain(Request request, Call call) {
    Request.Builder builder = request.newBuilder().tag(Nested.class, new Nested(call));
    RequestBody body = request.body();
    if (body != null && isWrite(request.method()) && !body.isOneShot()) {
      builder.method(request.method(), new SentOnce(body));
    }
    return builder.build();
  }

  /**
   * Refuses a chain the interceptor must not run in, before anything is sent: a network chain
   * (an application interceptor installed with {@code addNetworkInterceptor}), or a chain in which
   * another {@code AssignrInterceptor} is already retrying this call.
   *
   * @throws IllegalStateException naming the mistake and the fix
   */
  public static void checkPlacement(Interceptor.Chain chain) {
    if (chain.connection() != null) {
      throw new IllegalStateException("AssignrInterceptor was installed as a network interceptor;"
          + " install it with addInterceptor (AssignrInterceptor.configure(builder, resilience) does):"
          + " below OkHttp's retries it would be run again for every replay and redirect");
    }
    Nested outer = chain.request().tag(Nested.class);
    if (outer != null && outer.call == chain.call()) {
      throw new IllegalStateException("this OkHttpClient has two AssignrInterceptors (or one added"
          + " twice); keep one (AssignrInterceptor.configure(builder, resilience) replaces any"
          + " already there): each would retry every attempt of the other");
    }
  }

  /** The tag a retrying interceptor puts on the requests it hands down. */
  private record Nested(Call call) {}

  /** A write's body as handed down: the same bytes, but OkHttp must not send it twice on its own. */
  static final class SentOnce extends RequestBody {
    private final RequestBody body;

    SentOnce(RequestBody body) {
      this.body = body;
    }

    @Override
    public MediaType contentType() {
      return body.contentType();
    }

    @Override
    public long contentLength() throws IOException {
      return body.contentLength();
    }

    @Override
    public void writeTo(BufferedSink sink) throws IOException {
      body.writeTo(sink);
    }

    @Override
    public boolean isDuplex() {
      return body.isDuplex();
    }

    @Override
    public boolean isOneShot() {
      return true;
    }
  }
}
