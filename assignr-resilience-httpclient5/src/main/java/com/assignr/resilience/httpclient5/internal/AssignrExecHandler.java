package com.assignr.resilience.httpclient5.internal;

import com.assignr.resilience.AssignrResilience;
import com.assignr.resilience.spi.RetryExecutor;
import java.io.IOException;
import java.util.Objects;
import org.apache.hc.client5.http.classic.ExecChain;
import org.apache.hc.client5.http.classic.ExecChainHandler;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpException;

/**
 * The library as one element of HttpClient 5's classic exec chain. Not for users: {@code
 * AssignrHttpClient5.configure} installs it.
 *
 * <h2>Where it sits, and why there</h2>
 *
 * <p>HttpClient builds its chain outermost first: {@code REDIRECT}, {@code RETRY}, {@code
 * COMPRESS}, {@code PROTOCOL} (authentication challenges, the request's scheme and authority),
 * {@code CONNECT} (lease and connect) and {@code MAIN_TRANSPORT} (one exchange on the wire). A
 * handler that retries must see each wire attempt once and be the only one deciding on a resend:
 *
 * <ul>
 *   <li>{@code RETRY} ({@code HttpRequestRetryExec} with {@code DefaultHttpRequestRetryStrategy})
 *       resends a 429 or a 503 about a second later, for every method, and an I/O failure of an
 *       idempotent one. Above us it would repeat each call the library gave up on; below us it
 *       would make one library attempt several arrivals, off the library's schedule and through
 *       no gate. It is switched off ({@code disableAutomaticRetries}).
 *   <li>{@code REDIRECT} follows a 301/302/303 to a POST by sending a GET; below us that GET's 200
 *       would pass for the write's success. Assignr redirects nothing but plain HTTP, which the
 *       executor refuses before sending, so it is switched off ({@code disableRedirectHandling})
 *       and a redirect comes back as it is (core never retries one).
 *   <li>This handler is added first ({@code addExecInterceptorFirst}), above {@code COMPRESS}: it
 *       sees decoded bodies (for the excerpt of an exception) and stays in the chain whatever else
 *       the builder disables. Below it, nothing resends on its own: {@code PROTOCOL} answers an
 *       authentication challenge only with credentials configured in HttpClient itself, and never
 *       with a body that is not repeatable.
 * </ul>
 *
 * <p>The first attempt sends the chain's request as prepared, each retry a fresh copy of it (the
 * elements below add headers and wrap the entity in place, which is why HttpClient's own retries
 * copy too), with the call's {@code RequestConfig} timeouts cut to the time left ({@link Hc5Call}).
 *
 * <p>Installed twice on one client (configure called twice on one builder), the outer copy would
 * retry every attempt of the inner one: the inner one finds the outer's mark on the exchange and
 * fails the call before anything is sent.
 */
public final class AssignrExecHandler implements ExecChainHandler {
  /** The name of this element in the chain. */
  public static final String NAME = "assignr-resilience";

  /** Context attribute: the exchange this handler is running, so a second one below can tell. */
  private static final String RUNNING = "com.assignr.resilience.httpclient5.exchange";

  private final AssignrResilience resilience;
  private final RetryExecutor executor;
  private final long copyLimit;

  public AssignrExecHandler(AssignrResilience resilience, long copyLimit) {
    this.resilience = Objects.requireNonNull(resilience, "resilience");
    this.executor = resilience.executor();
    this.copyLimit = copyLimit;
  }

  /** The configuration this handler applies. */
  public AssignrResilience resilience() {
    return resilience;
  }

  @Override
  public ClassicHttpResponse execute(ClassicHttpRequest request, ExecChain.Scope scope, ExecChain chain)
      throws IOException, HttpException {
    HttpClientContext context = scope.clientContext;
    Object outer = context.getAttribute(RUNNING);
    if (scope.exchangeId.equals(outer)) {
      throw new IllegalStateException("this HttpClient has two Assignr handlers in its exec chain"
          + " (AssignrHttpClient5.configure was called twice on one builder?); configure it once:"
          + " each would retry every attempt of the other");
    }
    context.setAttribute(RUNNING, scope.exchangeId);
    Hc5Call call = null;
    try {
      call = Hc5Call.prepare(request, scope, resilience, copyLimit);
      Hc5Call prepared = call;
      return executor.execute(prepared.info(), prepared.options(), attempt -> prepared.send(attempt, chain),
          Hc5Responses.ADAPTER);
    } catch (Hc5Call.ProtocolFailure e) {
      throw e.httpException();
    } finally {
      if (call != null) call.restoreConfig();
      if (outer == null) context.removeAttribute(RUNNING);
      else context.setAttribute(RUNNING, outer);
    }
  }

  @Override
  public String toString() {
    return "AssignrExecHandler{" + resilience + '}';
  }
}
