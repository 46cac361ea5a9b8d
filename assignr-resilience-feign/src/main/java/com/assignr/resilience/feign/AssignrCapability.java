package com.assignr.resilience.feign;

import com.assignr.resilience.AssignrException;
import com.assignr.resilience.AssignrResilience;
import feign.AsyncClient;
import feign.Capability;
import feign.Client;
import feign.InvocationHandlerFactory;
import feign.Retryer;
import feign.codec.ErrorDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Feign {@link Capability} that sends every request of a Feign client through assignr-resilience
 * and keeps Feign from sending again what the library decided not to: with it, Feign's defaults
 * cannot duplicate a write.
 *
 * <pre>{@code
 * Assignr api = Feign.builder()
 *     .addCapability(AssignrFeign.okHttp(new OkHttpClient.Builder()
 *         .addInterceptor(yourAuthorizationInterceptor).build(), resilience))
 *     .decoder(yourDecoder)
 *     .target(Assignr.class, "https://api.assignr.com/api/v2");
 * }</pre>
 *
 * <p>Made by {@link AssignrFeign#okHttp} or {@link AssignrFeign#java11}. No OkHttp type appears in
 * this class: Feign finds its {@code enrich} methods with {@code getMethods()}, which would fail on
 * an application without OkHttp.
 *
 * <h2>Who owns what</h2>
 *
 * The library's rules stay with its adapters, which own what only their client can see: the OkHttp
 * interceptor keeps OkHttp from replaying a write on a reused connection while GETs keep that
 * recovery, and turns redirects off; the {@code java.net.http} decorator settles each attempt when
 * its headers arrive and copies single-use bodies. So the capability does not run the executor
 * around Feign's {@code Client} (from there it could neither mark an OkHttp body one-shot nor stop
 * {@code HttpURLConnection}, Feign's default transport, from resending a POST on its own): it puts
 * Feign's own transport, feign-okhttp or feign-java11, over a client that carries the library, and
 * takes over what of Feign's would undo it. When Feign builds the client:
 *
 * <ul>
 *   <li><b>{@code Client}</b>: whatever the builder has is replaced by this capability's transport
 *       (logged at INFO unless it is Feign's default {@code Client.Default}, which cannot carry the
 *       library). That transport rewrites each request's {@code Request.Options} so that Feign's
 *       transports keep the library's client instead of building one of their own (no redirects;
 *       for feign-java11, the client's connect timeout), and adds Assignr's {@code Accept} to a
 *       request without one (Feign's transports would send {@code *}{@code /*}). Add this capability
 *       before capabilities that wrap the client (Micrometer's), or it replaces their wrapper.
 *   <li><b>{@code Retryer}</b>: Feign's {@code Retryer.Default} (the builder's default, or one set
 *       explicitly: they cannot be told apart) becomes {@code Retryer.NEVER_RETRY}; {@code
 *       NEVER_RETRY} stays; any other {@code Retryer} is refused: {@code build()} fails, naming it.
 *       Why nothing is left for Feign to retry: by the time Feign's {@code Retryer} runs, the
 *       library has settled every attempt. What reaches it is a {@code RetryableException} around
 *       an {@code IOException} of the client (the library's give-up, which already says why it
 *       stopped: attempts exhausted, a permanent status, a write the server may have processed; an
 *       interrupt; or an exception of the caller's own OkHttp interceptors, which may have been
 *       thrown after the request was sent), or one made by an error decoder from a final answer
 *       with {@code Retry-After}, which the library already honoured up to its caps. A connection
 *       that never opened, the one failure any method may safely resend, the library has already
 *       retried.
 *   <li><b>{@code ErrorDecoder}</b>: the builder's (yours, or Feign's default) is kept, but a final
 *       answer never becomes a {@code RetryableException}: Feign's default makes one of any
 *       response with {@code Retry-After}; here the caller gets the status's own {@code
 *       FeignException} ({@code ServiceUnavailable}, {@code TooManyRequests}…).
 *   <li><b>What the caller holds</b> when the library gave up (with {@link
 *       AssignrResilience#throwOnFailure()}, or when no answer is left to return, such as a lost
 *       one): the library's typed {@link AssignrException} ({@code ConflictException}, {@code
 *       ValidationException}, {@code RateLimitedException}…) itself when the interface method
 *       declares it ({@code throws AssignrException}, or {@code IOException}), and otherwise an
 *       {@link AssignrFeignException}, an unchecked {@code FeignException} whose cause it is;
 *       never Feign's {@code RetryableException}, and never an {@code
 *       UndeclaredThrowableException}, whatever the {@code ExceptionPropagationPolicy}. In
 *       responses mode (the default), a final non-success answer goes to the error decoder as
 *       usual: {@code FeignException.Conflict} for a 409.
 * </ul>
 *
 * <p>{@code AsyncFeign} is not supported: its builder refuses this capability.
 */
public final class AssignrCapability implements Capability {
  private static final Logger LOG = LoggerFactory.getLogger(AssignrCapability.class);

  private final AssignrResilience resilience;
  private final AssignrFeignClient client;

  AssignrCapability(AssignrResilience resilience, AssignrFeignClient client) {
    this.resilience = resilience;
    this.client = client;
  }

  /**
   * The configuration every request of the Feign client follows.
   *
   * @return the configuration
   */
  public AssignrResilience resilience() {
    return resilience;
  }

  /**
   * Replaces the builder's client with this capability's transport.
   *
   * @param client the builder's client
   * @return the transport that carries the library
   */
  @Override
  public Client enrich(Client client) {
    if (client != this.client && !(client instanceof AssignrFeignClient)
        && client != null && client.getClass() != Client.Default.class) {
      LOG.info("Feign's client {} replaced by {}: every request goes through the library",
          client.getClass().getName(), this.client);
    }
    return this.client;
  }

  /**
   * Refuses {@code AsyncFeign}, which this capability does not support.
   *
   * @param client the async builder's client
   * @return never
   * @throws UnsupportedOperationException always
   */
  @Override
  public AsyncClient<Object> enrich(AsyncClient<Object> client) {
    throw new UnsupportedOperationException("AssignrCapability supports Feign.builder(), not "
        + "AsyncFeign: its async client would bypass the library");
  }

  /**
   * Feign's {@code Retryer.Default} becomes {@code Retryer.NEVER_RETRY}; any other retryer but
   * {@code NEVER_RETRY} is refused (see the class comment).
   *
   * @param retryer the builder's retryer
   * @return {@code Retryer.NEVER_RETRY}
   * @throws IllegalStateException for a retryer of another class, naming it and the fix
   */
  @Override
  public Retryer enrich(Retryer retryer) {
    if (retryer == null || retryer == Retryer.NEVER_RETRY || retryer.getClass() == Retryer.Default.class) {
      return Retryer.NEVER_RETRY;
    }
    throw new IllegalStateException("Feign's Retryer is a " + retryer.getClass().getName()
        + ": with AssignrCapability the library has retried everything the rules allow before a "
        + "Feign Retryer runs, and a Feign retry resends what it decided must not be resent (a POST "
        + "after a 500, a stale PUT answered 409). Remove .retryer(...) from the Feign builder (or "
        + "set Retryer.NEVER_RETRY); retries and their limits are set on the AssignrResilience");
  }

  /**
   * Keeps the builder's error decoder, except that a final answer never becomes a {@code
   * RetryableException}.
   *
   * @param decoder the builder's error decoder
   * @return the decoder, wrapped
   */
  @Override
  public ErrorDecoder enrich(ErrorDecoder decoder) {
    return decoder instanceof FinalErrorDecoder ? decoder : new FinalErrorDecoder(decoder);
  }

  /**
   * Wraps the builder's invocation handlers so that the library's give-up reaches the caller as
   * its typed exception (see the class comment).
   *
   * @param factory the builder's invocation handler factory
   * @return the factory, wrapped
   */
  @Override
  public InvocationHandlerFactory enrich(InvocationHandlerFactory factory) {
    return factory instanceof TypedExceptions ? factory : new TypedExceptions(factory);
  }

  @Override
  public String toString() {
    return "AssignrCapability{" + client + ", " + resilience + '}';
  }
}
