package com.assignr.resilience.okhttp;

import com.assignr.resilience.AssignrResilience;
import com.assignr.resilience.okhttp.internal.OkHttpRedirects;
import com.assignr.resilience.okhttp.internal.OkHttpRequests;
import com.assignr.resilience.okhttp.internal.OkHttpResponses;
import java.io.IOException;
import java.util.Objects;
import okhttp3.Call;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;

/**
 * An OkHttp <em>application</em> interceptor that makes every call to Assignr obey its rate limits
 * and error rules, as configured by one {@link AssignrResilience}.
 *
 * <pre>{@code
 * OkHttpClient client = existingClient.newBuilder()
 *     .addInterceptor(AssignrInterceptor.create(resilience))
 *     .build();
 * }</pre>
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
 *   <li>never reports a redirected write as a read: OkHttp follows 301/302/303 below application
 *       interceptors by re-sending a POST (PUT, DELETE…) as a GET; when that happened, the
 *       interceptor returns the redirect response instead of the GET's, so the write is not
 *       mistaken for a success. Build the client with {@code followRedirects(false)} to keep
 *       OkHttp from sending that GET at all ({@link AssignrCallFactory} does so for its writes);
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
 * AssignrCallFactory}, which schedules its waits instead. Do not install it as a network
 * interceptor, and do not combine it with an {@link AssignrCallFactory} on the same client.
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
   */
  @Override
  public Response intercept(Chain chain) throws IOException {
    Request request = OkHttpRequests.prepare(chain.request(), resilience);
    Call call = chain.call();
    return resilience.executor().execute(
        OkHttpRequests.info(request),
        OkHttpRequests.options(request, call.timeout().timeoutNanos(), call::isCanceled),
        attempt -> {
          Request sent = OkHttpRequests.forAttempt(request, attempt);
          return OkHttpRedirects.undoMethodChange(sent, chain.proceed(sent));
        },
        OkHttpResponses.ADAPTER);
  }

  @Override
  public String toString() {
    return "AssignrInterceptor{" + resilience + '}';
  }
}
