package com.assignr.resilience.okhttp;

import com.assignr.resilience.AssignrResilience;
import com.assignr.resilience.okhttp.internal.OkHttpRedirects;
import com.assignr.resilience.okhttp.internal.OkHttpReplays;
import com.assignr.resilience.okhttp.internal.OkHttpRequests;
import com.assignr.resilience.okhttp.internal.OkHttpResponses;
import java.io.IOException;
import java.util.Objects;
import okhttp3.Call;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * An OkHttp <em>application</em> interceptor that makes every call to Assignr obey its rate limits
 * and error rules, as configured by one {@link AssignrResilience}.
 *
 * <pre>{@code
 * OkHttpClient client = AssignrInterceptor.configure(existingClient.newBuilder(), resilience)
 *     .build();
 * }</pre>
 *
 * <p>{@link #configure} is the setup to use: it adds the interceptor last among the application
 * interceptors and turns off redirect following (see below). Added by hand with {@code
 * addInterceptor}, it works the same except for redirects.
 *
 * <p>For each call it:
 *
 * <ul>
 *   <li>adds {@code Accept: application/vnd.assignr.v2.hal+json} unless the request has an {@code
 *       Accept}, and on a POST whose body has no media type and that has no {@code Content-Type},
 *       adds {@link AssignrResilience#writeContentType()} (a body's own media type always wins, as
 *       in OkHttp);
 *   <li>refuses plain {@code http://} before anything is sent ({@link
 *       com.assignr.resilience.InsecureRequestException}; loopback only when allowed);
 *   <li>passes every attempt through the shared rate-limit gate of the request's host and {@code
 *       Authorization} (so add this interceptor <em>after</em> any interceptor that sets {@code
 *       Authorization});
 *   <li>retries as core's engine decides, calling {@code chain.proceed()} once per attempt; each
 *       response it will not return is closed before the next attempt, the one it returns is left
 *       open for the caller;
 *   <li>never replays a one-shot ({@code RequestBody.isOneShot()}) or duplex body;
 *   <li>keeps OkHttp from resending a write on its own: {@code retryOnConnectionFailure} (on by
 *       default) replays a request whose exchange failed on a reused connection, below every
 *       application interceptor, even when Assignr processed it and only the answer was lost. So
 *       the body of every write (any method but GET and HEAD) is handed down marked one-shot, which
 *       OkHttp replays only when none of it was sent; the engine alone decides on a resend (a
 *       connection never established: every method; a failure after sending: idempotent methods
 *       only). GETs go down untouched and keep OkHttp's cheap recovery from a stale pooled
 *       connection. A network interceptor below sees the marked body (a logging interceptor there
 *       then omits write bodies as one-shot; one added before this interceptor logs them);
 *   <li>never reports a redirected write as a read: OkHttp follows 301/302/303 below application
 *       interceptors by re-sending a POST (PUT, DELETE…) as a GET; when that happened, the
 *       interceptor returns the redirect response instead of the GET's, so the write is not
 *       mistaken for a success. {@link #configure} builds the client with {@code
 *       followRedirects(false)}, which keeps OkHttp from sending that GET at all ({@link
 *       AssignrCallFactory} does so for its writes);
 *   <li>treats {@code Call.cancel()} as final: a wait ends promptly with an {@link
 *       java.io.InterruptedIOException} and nothing more is sent;
 *   <li>uses the call timeout ({@code OkHttpClient.Builder.callTimeout}) as the deadline: it gives
 *       up at once rather than wait past it.
 * </ul>
 *
 * <p>It returns the final response (a success, or the last failure) unless {@link
 * AssignrResilience#throwOnFailure()} asks for typed {@link com.assignr.resilience.AssignrException}s.
 *
 * <p>Waits hold the calling thread; for {@code enqueue} that is one of the dispatcher's threads
 * (64 at most, 5 per host by default). Callers that enqueue many calls should prefer {@link
 * AssignrCallFactory}, which schedules its waits instead.
 *
 * <p>Installed where it cannot work, it fails the first call with an {@link
 * IllegalStateException} that says so, before anything is sent: as a network interceptor (it would
 * run again for each of OkHttp's replays and redirects), or twice on one client (each would retry
 * every attempt of the other). Do not combine it with an {@link AssignrCallFactory} on the same
 * client either ({@link AssignrCallFactory#create} refuses such a client).
 */
public final class AssignrInterceptor implements Interceptor {
  private final AssignrResilience resilience;

  private AssignrInterceptor(AssignrResilience resilience) {
    this.resilience = Objects.requireNonNull(resilience, "resilience");
  }

  /**
   * An interceptor for {@code resilience}; interceptors and factories created from one instance
   * share its rate-limit gates.
   *
   * @param resilience the configuration
   * @return a new interceptor
   */
  public static AssignrInterceptor create(AssignrResilience resilience) {
    return new AssignrInterceptor(resilience);
  }

  /**
   * Configures {@code builder} for Assignr, in one call: it removes any {@code AssignrInterceptor}
   * already on it (as an application or a network interceptor), adds a new one for {@code
   * resilience} <em>last</em> among the application interceptors (after yours, so the gate sees
   * the {@code Authorization} they set, and before OkHttp's own retries and redirects), and turns
   * off redirect following ({@code followRedirects(false)}): OkHttp would follow a 301/302/303 to a
   * POST by sending a GET, and Assignr redirects nothing else (its one redirect is the 302 from
   * plain HTTP, which is refused before it is sent). {@code retryOnConnectionFailure} is left as it
   * is, so GETs keep OkHttp's recovery from a stale connection; writes are kept from it by the
   * interceptor itself (see the class comment). Call it after adding your own interceptors.
   *
   * <pre>{@code
   * OkHttpClient client = AssignrInterceptor.configure(new OkHttpClient.Builder()
   *         .addInterceptor(yourAuthorizationInterceptor), resilience)
   *     .build();
   * }</pre>
   *
   * @param builder the builder of the client that will call Assignr
   * @param resilience the configuration; clients configured with one instance share its gates
   * @return {@code builder}
   */
  public static OkHttpClient.Builder configure(OkHttpClient.Builder builder, AssignrResilience resilience) {
    Objects.requireNonNull(builder, "builder");
    AssignrInterceptor interceptor = create(resilience);
    builder.interceptors().removeIf(AssignrInterceptor.class::isInstance);
    builder.networkInterceptors().removeIf(AssignrInterceptor.class::isInstance);
    return builder.addInterceptor(interceptor).followRedirects(false);
  }

  /**
   * The configuration this interceptor applies.
   *
   * @return the configuration
   */
  public AssignrResilience resilience() {
    return resilience;
  }

  /**
   * Sends the request, retrying as configured.
   *
   * @param chain OkHttp's application chain
   * @return the final response, which the caller must close
   * @throws IOException an {@link com.assignr.resilience.InsecureRequestException} for plain HTTP,
   *     an {@link java.io.InterruptedIOException} when cancelled, an {@link
   *     com.assignr.resilience.AssignrException} when the call cannot succeed and exceptions were
   *     asked for (or no response is left to return)
   * @throws IllegalStateException when installed as a network interceptor, or twice on one client
   */
  @Override
  public Response intercept(Chain chain) throws IOException {
    OkHttpReplays.checkPlacement(chain);
    Request request = OkHttpRequests.prepare(chain.request(), resilience);
    Call call = chain.call();
    Request down = OkHttpReplays.forChain(request, call);
    return resilience.executor().execute(
        OkHttpRequests.info(request),
        OkHttpRequests.options(request, call.timeout().timeoutNanos(), call::isCanceled),
        attempt -> {
          Request sent = OkHttpRequests.forAttempt(down, attempt);
          return OkHttpRedirects.undoMethodChange(sent, chain.proceed(sent));
        },
        OkHttpResponses.ADAPTER);
  }

  @Override
  public String toString() {
    return "AssignrInterceptor{" + resilience + '}';
  }
}
