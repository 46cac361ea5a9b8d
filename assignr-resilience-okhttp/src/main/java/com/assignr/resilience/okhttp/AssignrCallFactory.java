package com.assignr.resilience.okhttp;

import com.assignr.resilience.AssignrResilience;
import com.assignr.resilience.okhttp.internal.OkHttpReplays;
import com.assignr.resilience.okhttp.internal.ResilientCall;
import java.util.Objects;
import okhttp3.Call;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Request;

/**
 * A {@link Call.Factory} over an existing {@link OkHttpClient} whose calls obey Assignr's rate
 * limits and error rules like {@link AssignrInterceptor} does, but whose {@link Call#enqueue}
 * holds no thread while it waits: each attempt is a fresh asynchronous call of the client, and
 * every retry delay or rate-limit gate wait is a scheduled task. Hundreds of calls can wait for a
 * rate-limit reset without starving the client's dispatcher (64 threads, 5 per host, by default).
 *
 * <pre>{@code
 * Call.Factory assignr = AssignrCallFactory.create(existingClient, resilience);
 * Retrofit retrofit = new Retrofit.Builder()
 *     .baseUrl("https://api.assignr.com/api/v2/")
 *     .callFactory(assignr)
 *     .build();
 * }</pre>
 *
 * <p>The calls it returns honour OkHttp's {@link Call} contract: {@code execute()} waits on the
 * calling thread; {@code enqueue(callback)} delivers the outcome once, on the client's dispatcher
 * executor; {@code cancel()} withdraws a pending wait and cancels the attempt in flight, and the
 * callback then receives an {@link java.io.InterruptedIOException}; {@code timeout()} starts at
 * the client's call timeout and bounds the whole call, waits included; {@code clone()} gives a
 * fresh, unexecuted call. Each attempt is a separate call of the client, so its {@code
 * EventListener} sees one call per attempt.
 *
 * <h2>Writes are sent once, unless the engine decides otherwise</h2>
 *
 * <p>Methods other than GET and HEAD are sent through a copy of the client with {@code
 * followRedirects(false)} and {@code retryOnConnectionFailure(false)} (sharing its pool, dispatcher
 * and everything else):
 *
 * <ul>
 *   <li>OkHttp's own {@code retryOnConnectionFailure} replays a request whose exchange failed on a
 *       reused connection, below any interceptor and whatever its method: a POST that Assignr
 *       processed and whose answer was lost would be sent again and create a second game. Without
 *       it, the failure reaches core, which retries a connection that was never established for
 *       every method, and a failure after sending only for idempotent methods.
 *   <li>OkHttp follows 301/302/303 by re-sending a POST (PUT, DELETE…) as a GET, which would turn
 *       a write into a read. Such a redirect is returned (or thrown, with {@code throwOnFailure})
 *       as it is; core classifies a 302 as {@code INSECURE_REDIRECT} and never retries it.
 * </ul>
 *
 * <p>GET and HEAD keep your client as it is, and with it OkHttp's cheap recovery from a stale
 * pooled connection (a GET resent at once on a fresh connection, which the call sees as one
 * attempt).
 */
public final class AssignrCallFactory implements Call.Factory {
  private final OkHttpClient client;
  /** The client for writes (every method but GET and HEAD): no redirects, no replays. */
  private final OkHttpClient writeClient;
  private final AssignrResilience resilience;

  private AssignrCallFactory(OkHttpClient client, AssignrResilience resilience) {
    this.client = client;
    this.writeClient = OkHttpReplays.writeClient(client);
    this.resilience = resilience;
  }

  /**
   * A factory whose calls go through {@code client}.
   *
   * @param client the client to send each attempt with; it must not itself contain an {@link
   *     AssignrInterceptor}, or every attempt would be retried twice over
   * @param resilience the configuration; factories and interceptors created from one instance
   *     share its rate-limit gates
   * @return a new factory
   * @throws IllegalArgumentException if {@code client} already has an {@link AssignrInterceptor}
   */
  public static AssignrCallFactory create(OkHttpClient client, AssignrResilience resilience) {
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(resilience, "resilience");
    for (Interceptor interceptor : client.interceptors()) {
      if (interceptor instanceof AssignrInterceptor) {
        throw new IllegalArgumentException("client already has an AssignrInterceptor; pass a client"
            + " without it, or every attempt would be retried by both");
      }
    }
    return new AssignrCallFactory(client, resilience);
  }

  /**
   * The client each attempt is sent with.
   *
   * @return the client
   */
  public OkHttpClient client() {
    return client;
  }

  /**
   * The configuration the calls apply.
   *
   * @return the configuration
   */
  public AssignrResilience resilience() {
    return resilience;
  }

  /**
   * A new, unexecuted call for {@code request}.
   *
   * @param request the request, sent with Assignr's {@code Accept} (and {@code Content-Type} on
   *     POST) added unless it has its own
   * @return the call
   */
  @Override
  public Call newCall(Request request) {
    Objects.requireNonNull(request, "request");
    OkHttpClient sender = OkHttpReplays.isWrite(request.method()) ? writeClient : client;
    return ResilientCall.create(sender, resilience, request);
  }

  @Override
  public String toString() {
    return "AssignrCallFactory{" + resilience + '}';
  }
}
