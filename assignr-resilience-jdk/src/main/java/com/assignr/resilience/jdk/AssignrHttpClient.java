package com.assignr.resilience.jdk;

import com.assignr.resilience.AssignrException;
import com.assignr.resilience.AssignrResilience;
import com.assignr.resilience.InsecureRequestException;
import com.assignr.resilience.jdk.internal.Lifecycle;
import com.assignr.resilience.jdk.internal.Requests;
import com.assignr.resilience.jdk.internal.RetryingSender;
import java.io.IOException;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.PushPromiseHandler;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * An {@link HttpClient} that makes calls to the Assignr API correct under its rate limits and
 * error rules, by wrapping a client you already configured:
 *
 * <pre>{@code
 * HttpClient client = AssignrHttpClient.wrap(HttpClient.newHttpClient(), AssignrResilience.defaults());
 * HttpResponse<String> games = client.send(
 *     HttpRequest.newBuilder(URI.create("https://api.assignr.com/api/v2/sites/1/games"))
 *         .header("Authorization", "Bearer " + token)
 *         .build(),
 *     BodyHandlers.ofString());
 * }</pre>
 *
 * <h2>What changes, and what does not</h2>
 *
 * <ul>
 *   <li>{@link #send} retries in place (429 after the window resets, 503 with backoff, 500 and I/O
 *       failures for idempotent methods) and waits in the shared rate-limit gate of the request's
 *       host and {@code Authorization}, all per the configured {@link AssignrResilience}.
 *       Interrupting the calling thread cancels the call: it throws {@link InterruptedException}
 *       and leaves the thread's interrupt flag set.
 *   <li>{@link #sendAsync(HttpRequest, BodyHandler)} does the same without ever parking a thread:
 *       waits are tasks on the configured {@code TimeSource}'s scheduler. Cancelling the returned
 *       future withdraws a pending wait and cancels the attempt in flight. A wrapped client that
 *       throws instead of returning a future is treated as if it had returned a failed one.
 *   <li>Your {@link BodyHandler} sees only the response that is returned. Each attempt is settled
 *       by core's executor the moment its status and headers arrive (that is all a decision needs):
 *       a response that will be retried (or, with {@code throwOnFailure}, turned into an
 *       exception) is read by a subscriber that keeps at most {@code bodyExcerptChars} bytes and
 *       drops the rest as it arrives, so a huge error page costs no heap. If the call's deadline
 *       passes while such a body drains, the retry is not waited for: the call gives up with the
 *       typed exception (a {@link com.assignr.resilience.RateLimitedException} for a 429, with
 *       {@code DEADLINE_EXCEEDED}), as a gate wait past the deadline does.
 *   <li>Requests get {@code Accept: application/vnd.assignr.v2.hal+json} and, on POST, {@code
 *       Content-Type:} {@link AssignrResilience#writeContentType()} unless you set them.
 *       Plain-HTTP URLs are refused with {@link InsecureRequestException} before anything is sent
 *       (loopback only when {@code allowInsecureLoopback} is on).
 *   <li>{@link HttpRequest#timeout()} is the deadline of the whole call, waits and retries
 *       included (as is the policy's {@code totalTimeout}): no wait is started that would end
 *       after it. With a {@code timeout()} set, each attempt is also sent with no more than the
 *       time left; without one, an attempt in flight is bounded as the bare client bounds it.
 *   <li>Request bodies are sent again only when the rules allow it (a 429, a 503, a connection
 *       never established; for idempotent methods also a 5xx or an I/O failure) and the bytes can
 *       be had again: no body, {@code BodyPublishers.noBody/ofString/ofByteArray/ofFile}, one marked
 *       with {@link #replayable(BodyPublisher)}, or a single-use body (such as {@code
 *       fromPublisher}, {@code ofInputStream}, Spring's {@code RestClient} bodies) of at most
 *       {@link WrapOptions#replayCopyLimit()} bytes (1 MiB by default), which is copied as it is
 *       first read, before the call starts. A larger single-use body is sent once.
 *   <li>The final response is returned, whatever its status (as from the JDK client), unless
 *       {@code throwOnFailure} is on; then a non-success outcome throws the typed {@link
 *       AssignrException} subclass. I/O failures that survive the retries always throw an {@code
 *       AssignrException} with the original failure as its cause.
 *   <li>With a non-null {@link PushPromiseHandler}, {@link #sendAsync(HttpRequest, BodyHandler,
 *       PushPromiseHandler)} sends once, never retried (a retried exchange would hand your push
 *       handler promises from responses that are thrown away), through the gate and the checks
 *       like every call. Assignr's API does not push.
 *   <li>A client that follows redirects is refused by {@link #wrap}: java.net.http re-sends a
 *       POST answered with 301/302/303 as a GET, and copies {@code Authorization} to the host the
 *       redirect names. With {@code Redirect.NEVER} (the JDK default) a redirect is returned as it
 *       is; a 302 is Assignr's answer to plain HTTP and is never retried.
 *   <li>Everything else ({@link #version()}, {@link #executor()}, {@link #authenticator()},
 *       cookies, proxy, TLS, {@link #newWebSocketBuilder()}, and on Java 21+ {@code
 *       shutdown}/{@code close}) is the wrapped client's.
 * </ul>
 *
 * <p>Thread-safe; one instance serves any number of concurrent calls. Build it with {@link #wrap}.
 */
public final class AssignrHttpClient extends HttpClient {
  private final HttpClient delegate;
  private final AssignrResilience resilience;
  private final WrapOptions options;
  private final RetryingSender sender;

  private AssignrHttpClient(HttpClient delegate, AssignrResilience resilience, WrapOptions options) {
    this.delegate = delegate;
    this.resilience = resilience;
    this.options = options;
    this.sender = new RetryingSender(delegate, resilience, options.replayCopyLimit());
  }

  /**
   * Wraps {@code delegate} so that every call through the result follows {@code resilience}.
   * Clients wrapped with one {@code AssignrResilience} share its rate-limit gates.
   *
   * @param delegate the client that sends each attempt; keeps all of its own configuration, and
   *     must not follow redirects ({@code Redirect.NEVER}, the JDK's default)
   * @param resilience the policy, gates, listener, breaker and time seam
   * @return the wrapping client
   * @throws IllegalArgumentException if {@code delegate} is already wrapped, or follows redirects:
   *     the JDK re-sends a redirected POST as a GET and copies {@code Authorization} to the
   *     redirect's host, whichever it is
   */
  public static AssignrHttpClient wrap(HttpClient delegate, AssignrResilience resilience) {
    return wrap(delegate, resilience, WrapOptions.defaults());
  }

  /**
   * As {@link #wrap(HttpClient, AssignrResilience)}, with options of this decorator's own (how
   * much of a single-use request body it copies so that it can be sent again).
   *
   * @param delegate the client that sends each attempt (see {@link #wrap(HttpClient, AssignrResilience)})
   * @param resilience the policy, gates, listener, breaker and time seam
   * @param options the decorator's options
   * @return the wrapping client
   * @throws IllegalArgumentException as {@link #wrap(HttpClient, AssignrResilience)}
   */
  public static AssignrHttpClient wrap(HttpClient delegate, AssignrResilience resilience, WrapOptions options) {
    Objects.requireNonNull(delegate, "delegate");
    Objects.requireNonNull(resilience, "resilience");
    Objects.requireNonNull(options, "options");
    if (delegate instanceof AssignrHttpClient wrapped) {
      throw new IllegalArgumentException("the client is already wrapped (" + wrapped.resilience
          + "); wrapping twice would retry every retry");
    }
    if (delegate.followRedirects() != Redirect.NEVER) {
      throw new IllegalArgumentException("the client follows redirects (Redirect."
          + delegate.followRedirects() + "); build it with followRedirects(Redirect.NEVER), the"
          + " JDK default: following a 301/302/303 re-sends a POST as a GET, turning a write into"
          + " a read, and java.net.http copies the Authorization header to whatever host the"
          + " redirect names");
    }
    return new AssignrHttpClient(delegate, resilience, options);
  }

  /**
   * Marks {@code publisher} as safe to subscribe to more than once, so requests carrying it may
   * be retried: for example {@code ofInputStream} with a supplier that opens a fresh stream each
   * time, or {@code ofByteArrays} over a list.
   *
   * @param publisher a publisher that publishes the same bytes on every subscription
   * @return a publisher that delegates to it
   */
  public static BodyPublisher replayable(BodyPublisher publisher) {
    return Requests.replayable(publisher);
  }

  /** The wrapped client. */
  public HttpClient delegate() {
    return delegate;
  }

  /** The configuration this client follows. */
  public AssignrResilience resilience() {
    return resilience;
  }

  /** This decorator's own options. */
  public WrapOptions options() {
    return options;
  }

  /**
   * Sends {@code request}, retrying and waiting on this thread as the configuration says.
   *
   * @throws InsecureRequestException for a plain-HTTP URL, before anything is sent
   * @throws AssignrException when the call failed for good and exceptions were asked for, or no
   *     response is left to return (I/O failures, caps, an open circuit)
   * @throws InterruptedException when the thread was interrupted; its interrupt flag stays set
   */
  @Override
  public <T> HttpResponse<T> send(HttpRequest request, BodyHandler<T> responseBodyHandler)
      throws IOException, InterruptedException {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(responseBodyHandler, "responseBodyHandler");
    return sender.send(request, responseBodyHandler);
  }

  /**
   * Sends {@code request} without blocking; the returned future completes with the final
   * response, or exceptionally with the exceptions {@link #send} would throw.
   */
  @Override
  public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request,
      BodyHandler<T> responseBodyHandler) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(responseBodyHandler, "responseBodyHandler");
    return sender.sendAsync(request, responseBodyHandler);
  }

  /**
   * With a null {@code pushPromiseHandler}, the same as {@link #sendAsync(HttpRequest,
   * BodyHandler)}. Otherwise one attempt, never retried; see the class comment.
   */
  @Override
  public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request,
      BodyHandler<T> responseBodyHandler, PushPromiseHandler<T> pushPromiseHandler) {
    if (pushPromiseHandler == null) return sendAsync(request, responseBodyHandler);
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(responseBodyHandler, "responseBodyHandler");
    return sender.sendAsyncOnce(request, responseBodyHandler, pushPromiseHandler);
  }

  // Everything below is the wrapped client's.

  @Override public Optional<CookieHandler> cookieHandler() { return delegate.cookieHandler(); }
  @Override public Optional<Duration> connectTimeout() { return delegate.connectTimeout(); }
  @Override public Redirect followRedirects() { return delegate.followRedirects(); }
  @Override public Optional<ProxySelector> proxy() { return delegate.proxy(); }
  @Override public SSLContext sslContext() { return delegate.sslContext(); }
  @Override public SSLParameters sslParameters() { return delegate.sslParameters(); }
  @Override public Optional<Authenticator> authenticator() { return delegate.authenticator(); }
  @Override public Version version() { return delegate.version(); }
  @Override public Optional<Executor> executor() { return delegate.executor(); }

  /** The wrapped client's WebSocket builder; WebSockets are not retried. */
  @Override
  public WebSocket.Builder newWebSocketBuilder() {
    return delegate.newWebSocketBuilder();
  }

  // Java 21 added these to HttpClient; declared here without @Override (we compile for 17) so
  // that on 21+ they override and reach the wrapped client. On 17 the wrapped client has no
  // lifecycle: they do nothing.

  /** On Java 21+, the wrapped client's {@code shutdown()}; on 17, nothing. */
  public void shutdown() {
    Lifecycle.shutdown(delegate);
  }

  /** On Java 21+, the wrapped client's {@code shutdownNow()}; on 17, nothing. */
  public void shutdownNow() {
    Lifecycle.shutdownNow(delegate);
  }

  /**
   * On Java 21+, the wrapped client's {@code awaitTermination}; on 17, false at once.
   *
   * @param duration the longest time to wait
   * @return whether the wrapped client terminated
   * @throws InterruptedException if interrupted while waiting
   */
  public boolean awaitTermination(Duration duration) throws InterruptedException {
    return Lifecycle.awaitTermination(delegate, duration);
  }

  /** On Java 21+, the wrapped client's {@code isTerminated()}; on 17, false. */
  public boolean isTerminated() {
    return Lifecycle.isTerminated(delegate);
  }

  /** On Java 21+, closes the wrapped client; on 17, nothing. */
  public void close() {
    Lifecycle.close(delegate);
  }

  @Override
  public String toString() {
    return "AssignrHttpClient{" + delegate + ", " + resilience + '}';
  }
}
