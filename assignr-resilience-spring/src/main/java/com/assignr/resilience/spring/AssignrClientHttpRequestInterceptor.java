package com.assignr.resilience.spring;

import com.assignr.resilience.AssignrException;
import com.assignr.resilience.AssignrResilience;
import com.assignr.resilience.spring.internal.SpringRequests;
import com.assignr.resilience.spring.internal.SpringResponses;
import com.assignr.resilience.spring.internal.StackCheck;
import java.io.IOException;
import java.net.http.HttpClient;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpRequest;
import org.springframework.http.client.ClientHttpRequestExecution;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestTemplate;

/**
 * A Spring {@link ClientHttpRequestInterceptor} that makes every call of a {@code RestClient} or
 * {@code RestTemplate} to Assignr obey its rate limits and error rules, as configured by one
 * {@link AssignrResilience}: the same executor, gate and policy as the OkHttp and JDK adapters.
 *
 * <pre>{@code
 * RestClient assignr = AssignrClientHttpRequestInterceptor.configure(RestClient.builder(), resilience)
 *     .baseUrl("https://api.assignr.com/api/v2")
 *     .build();
 *
 * RestTemplate template = AssignrClientHttpRequestInterceptor.configure(new RestTemplate(), resilience);
 * }</pre>
 *
 * <p><b>The client below.</b> {@link #configure(RestClient.Builder, AssignrResilience) configure}
 * adds the interceptor and puts the client on the JDK's {@code HttpClient}, which neither retries
 * nor follows redirects on its own. Added by hand instead, the interceptor runs on whatever request
 * factory Spring picks, and Spring picks Apache HttpClient 5 whenever httpclient5 is on the
 * classpath: its default retry strategy resends every 429 and 503, POSTs included, below the
 * interceptor. The interceptor looks below itself on its first call and logs one WARN naming the
 * fix when it finds such a client (with {@code assignr-resilience-httpclient5} on the classpath,
 * which it uses to tell).
 *
 * <p>For each call it:
 *
 * <ul>
 *   <li>adds {@code Accept: application/vnd.assignr.v2.hal+json} unless the request has an {@code
 *       Accept} (note that {@code RestTemplate}'s {@code getForObject}/{@code exchange} set one from
 *       their message converters), and on a POST without a {@code Content-Type} (with or without a
 *       body: Assignr asks it of every POST), {@link AssignrResilience#writeContentType()};
 *   <li>refuses plain {@code http://} before anything is sent (loopback only when allowed);
 *   <li>passes every attempt through the rate-limit gate of the request's host and {@code
 *       Authorization}, and retries as core's engine decides. Spring hands interceptors the body as
 *       bytes, so every attempt can send it again: a POST is resent after a 429 or 503, never after
 *       a 500;
 *   <li>calls {@code execution.execute} once per attempt. In Spring Framework 7 each call runs the
 *       rest of the chain again (the interceptors after this one, then a new request from the
 *       factory); every response it does not return is closed before the next attempt.
 * </ul>
 *
 * <p><b>Responses or exceptions.</b> By default the final response is returned whatever its status,
 * so Spring's usual status handling applies: {@code retrieve()} and {@code RestTemplate} throw
 * {@code HttpClientErrorException.Conflict} for a 409, {@code HttpServerErrorException} for a 5xx
 * that was not retried or kept failing. With {@link AssignrResilience#throwOnFailure()} the
 * interceptor throws the library's typed exception instead ({@code ConflictException}, {@code
 * RateLimitedException} with {@code retryAt()}…). Those are {@link IOException}s, and both Spring
 * clients wrap every {@code IOException} an interceptor throws in a {@code ResourceAccessException};
 * {@link #assignrException(Throwable)} finds it again.
 *
 * <p>Add this interceptor after any that sets {@code Authorization}, or name the quota with {@code
 * QuotaKey.fixed(...)}. Waits hold the calling thread; interrupting it ends a wait with an {@code
 * InterruptedIOException}. Spring's clients have no per-call deadline, so the policy's {@code
 * totalTimeout} bounds each call. On Spring Framework 6.x, where the chain is walked with one
 * iterator, retries skip the interceptors after this one: add it last there.
 */
public final class AssignrClientHttpRequestInterceptor implements ClientHttpRequestInterceptor {
  private static final Logger LOG = LoggerFactory.getLogger(AssignrClientHttpRequestInterceptor.class);

  private final AssignrResilience resilience;
  private final AtomicBoolean stackChecked = new AtomicBoolean();
  private volatile String stackProblem;

  private AssignrClientHttpRequestInterceptor(AssignrResilience resilience) {
    this.resilience = Objects.requireNonNull(resilience, "resilience");
  }

  /**
   * An interceptor for {@code resilience}; every client and adapter derived from one instance
   * shares its rate-limit gates.
   *
   * @param resilience the configuration
   * @return a new interceptor
   */
  public static AssignrClientHttpRequestInterceptor create(AssignrResilience resilience) {
    return new AssignrClientHttpRequestInterceptor(resilience);
  }

  /**
   * Makes {@code builder} call Assignr correctly whatever request factory Spring would detect: the
   * JDK's {@code HttpClient} (no retries, no redirects of its own) and this library's interceptor.
   *
   * @param builder a builder, e.g. {@code RestClient.builder()}
   * @param resilience the configuration
   * @return {@code builder}
   */
  public static RestClient.Builder configure(RestClient.Builder builder, AssignrResilience resilience) {
    AssignrClientHttpRequestInterceptor interceptor = create(resilience);
    return builder.requestFactory(jdkFactory()).requestInterceptors(list -> list.add(interceptor));
  }

  /**
   * Makes {@code template} call Assignr correctly: the JDK's {@code HttpClient} as its request
   * factory and this library's interceptor, after any it has.
   *
   * @param template a template
   * @param resilience the configuration
   * @return {@code template}
   */
  public static RestTemplate configure(RestTemplate template, AssignrResilience resilience) {
    template.setRequestFactory(jdkFactory());
    template.getInterceptors().add(create(resilience));
    return template;
  }

  /** The JDK's client never follows redirects unless told to; said here all the same. */
  private static ClientHttpRequestFactory jdkFactory() {
    return new JdkClientHttpRequestFactory(HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build());
  }

  /**
   * What the first call found wrong below this interceptor (and logged at WARN), if anything.
   *
   * @return the problem, e.g. an HttpClient 5 with its own retries
   */
  Optional<String> stackProblem() {
    return Optional.ofNullable(stackProblem);
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
   * @param request the request, whose headers this may complete
   * @param body the request body (empty when there is none)
   * @param execution the rest of the chain, called once per attempt
   * @return the final response
   * @throws IOException an {@link com.assignr.resilience.InsecureRequestException} for plain HTTP,
   *     an {@link java.io.InterruptedIOException} when interrupted, an {@link AssignrException} when
   *     the call cannot succeed and exceptions were asked for (or no response is left to return)
   */
  @Override
  public ClientHttpResponse intercept(HttpRequest request, byte[] body, ClientHttpRequestExecution execution)
      throws IOException {
    if (!stackChecked.get() && stackChecked.compareAndSet(false, true)) {
      stackProblem = StackCheck.problem(request);
      if (stackProblem != null) LOG.warn(stackProblem);
    }
    SpringRequests.prepare(request, resilience);
    return resilience.executor().execute(
        SpringRequests.info(request),
        SpringRequests.options(request),
        attempt -> SpringResponses.attempted(execution.execute(SpringRequests.forAttempt(request, attempt), body)),
        SpringResponses.ADAPTER).response();
  }

  /**
   * The library's typed exception behind a Spring client's exception: with {@code
   * throwOnFailure(true)}, {@code RestClient} and {@code RestTemplate} throw a {@code
   * ResourceAccessException} whose cause it is.
   *
   * <pre>{@code
   * try {
   *   assignr.put().uri("/games/{id}", id).body(game).retrieve().toBodilessEntity();
   * } catch (ResourceAccessException e) {
   *   if (AssignrClientHttpRequestInterceptor.assignrException(e).orElse(null) instanceof ConflictException) {
   *     // GET the game again and PUT with the fresh lock_version
   *   }
   * }
   * }</pre>
   *
   * @param thrown what the client threw
   * @return the first {@link AssignrException} among {@code thrown} and its causes
   */
  public static Optional<AssignrException> assignrException(Throwable thrown) {
    Throwable t = thrown;
    for (int depth = 0; t != null && depth < 32; depth++, t = t.getCause()) { // a cycle ends too
      if (t instanceof AssignrException) return Optional.of((AssignrException) t);
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return "AssignrClientHttpRequestInterceptor{" + resilience + '}';
  }
}
