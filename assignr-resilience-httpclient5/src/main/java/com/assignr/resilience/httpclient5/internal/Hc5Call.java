package com.assignr.resilience.httpclient5.internal;

import com.assignr.resilience.AssignrResilience;
import com.assignr.resilience.spi.AttemptContext;
import com.assignr.resilience.spi.CallOptions;
import com.assignr.resilience.spi.CancellationSignal;
import com.assignr.resilience.RequestInfo;
import com.assignr.resilience.internal.DefaultHeaders;
import java.io.IOException;
import java.util.Locale;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.classic.ExecChain;
import org.apache.hc.client5.http.classic.ExecRuntime;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ConnectionRequestTimeoutException;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.ProtocolVersion;
import org.apache.hc.core5.http.message.BasicClassicHttpRequest;
import org.apache.hc.core5.net.URIAuthority;

/**
 * One call through the chain, prepared once: the request the first attempt sends and later ones
 * are rebuilt from (Assignr's headers added, a single-use entity replaced by its copy), what the executor needs to know about
 * it, and the call's {@code RequestConfig}, which each attempt bounds by the time left and the end
 * of the call puts back. The executor owns the deadline, the HTTPS check, the gate and every
 * decision.
 */
final class Hc5Call {
  /** The chain's request, sent as it is by the first attempt. */
  private final ClassicHttpRequest first;
  /**
   * What later attempts are rebuilt from. The elements below add headers to the request they are
   * given and wrap its entity in place (which is why HttpClient's own retries copy the request
   * too), so a retry cannot send {@link #first} again. The headers are copied before the first
   * attempt: an array of immutable headers, cheaper than a copy of the request, which the success
   * path then never pays for.
   */
  private final Header[] headers;
  private final HttpEntity entity;
  private final String method;
  private final String scheme;
  private final URIAuthority authority;
  private final String path;
  private final ProtocolVersion version;
  private boolean firstSent;
  private final ExecChain.Scope scope;
  private final RequestInfo info;
  private final CallOptions options;
  /** The context's configuration as the call found it (null: HttpClient's default applies). */
  private final RequestConfig found;
  private final RequestConfig config;
  /** The configuration the last attempt went down with. */
  private RequestConfig current;

  private Hc5Call(ClassicHttpRequest first, ExecChain.Scope scope, RequestInfo info, CallOptions options) {
    this.first = first;
    this.headers = first.getHeaders();
    this.entity = first.getEntity();
    this.method = first.getMethod();
    this.scheme = first.getScheme();
    this.authority = first.getAuthority();
    this.path = first.getPath();
    this.version = first.getVersion();
    this.scope = scope;
    this.info = info;
    this.options = options;
    this.found = scope.clientContext.getRequestConfig();
    this.config = scope.clientContext.getRequestConfigOrDefault();
    this.current = config;
  }

  /**
   * A header as HttpClient will send it: without a {@code Content-Type} header, HttpClient sends
   * the entity's own content type (RequestContent), so that counts as the caller's choice.
   */
  private static String headerAsSent(ClassicHttpRequest request, String name) {
    Header header = request.getFirstHeader(name);
    if (header != null) return header.getValue();
    if (name.equals(DefaultHeaders.CONTENT_TYPE) && request.getEntity() != null) {
      return request.getEntity().getContentType();
    }
    return null;
  }

  /**
   * Prepares {@code request}, the chain's own copy of the caller's request (HttpClient hands the
   * chain a copy, so completing its headers touches nothing of the caller's).
   *
   * @throws IOException when a single-use entity to be copied cannot be read (nothing is sent)
   */
  static Hc5Call prepare(ClassicHttpRequest request, ExecChain.Scope scope, AssignrResilience resilience,
      long copyLimit) throws IOException {
    HttpEntity entity = request.getEntity();
    DefaultHeaders.Missing missing = DefaultHeaders.missing(request.getMethod(), request, Hc5Call::headerAsSent);
    if (missing.accept()) request.addHeader(HttpHeaders.ACCEPT, AssignrResilience.ASSIGNR_MEDIA_TYPE);
    if (missing.contentType()) request.addHeader(HttpHeaders.CONTENT_TYPE, resilience.writeContentType());
    if (entity != null && !entity.isRepeatable()) {
      entity = EntityCopy.replayable(entity, copyLimit);
      request.setEntity(entity);
    }
    boolean replayable = entity == null || entity.isRepeatable();
    Header authorization = request.getFirstHeader(HttpHeaders.AUTHORIZATION);
    ExecRuntime runtime = scope.execRuntime;
    Thread caller = Thread.currentThread();
    // HttpUriRequestBase.cancel() aborts the exchange (and any later lease); an interrupt of the
    // calling thread ends a wait. Polled by the executor's waits, so both must be cheap and
    // thread-safe, which they are.
    CancellationSignal cancelled = () -> runtime.isExecutionAborted() || caller.isInterrupted();
    CallOptions options = CallOptions.none()
        .withCancellation(cancelled)
        .withCredentials(authorization == null ? null : authorization.getValue());
    return new Hc5Call(request, scope, info(request, replayable), options);
  }

  /** The method, scheme, host, path (no query) and whether the entity may be sent again. */
  static RequestInfo info(ClassicHttpRequest request, boolean replayable) {
    String scheme = request.getScheme() == null ? "" : request.getScheme().toLowerCase(Locale.ROOT);
    URIAuthority authority = request.getAuthority();
    String host = authority == null || authority.getHostName() == null ? "" : authority.getHostName();
    return new RequestInfo(request.getMethod().toUpperCase(Locale.ROOT), scheme, host,
        pathOnly(request.getPath()), replayable);
  }

  private static String pathOnly(String path) {
    if (path == null || path.isEmpty()) return "/";
    int end = path.length();
    int query = path.indexOf('?');
    if (query >= 0) end = query;
    int fragment = path.indexOf('#');
    if (fragment >= 0 && fragment < end) end = fragment;
    return end == 0 ? "/" : path.substring(0, end);
  }

  RequestInfo info() {
    return info;
  }

  CallOptions options() {
    return options;
  }

  /**
   * Sends one attempt: the prepared request, then a fresh copy of it for each retry (with the
   * library's access token when it manages one for this call), the call's timeouts cut to the time
   * left.
   *
   * @throws ProtocolFailure carrying an {@link HttpException}, which HttpClient never retries and
   *     neither does the executor (it rethrows runtime exceptions as they are)
   */
  ClassicHttpResponse send(AttemptContext attempt, ExecChain chain) throws IOException {
    ClassicHttpRequest sent;
    if (!firstSent) {
      firstSent = true;
      sent = first;
    } else {
      sent = new BasicClassicHttpRequest(method, scheme, authority, path);
      sent.setVersion(version);
      sent.setHeaders(headers);
      sent.setEntity(entity);
    }
    String authorization = attempt.authorization();
    if (authorization != null) sent.setHeader(HttpHeaders.AUTHORIZATION, authorization);
    attempt.propagationHeaders().forEach(sent::setHeader);
    RequestConfig bounded = Hc5Timeouts.bound(config, attempt.nanosLeft());
    if (bounded != current) {
      scope.clientContext.setRequestConfig(bounded);
      current = bounded;
    }
    try {
      return chain.proceed(sent, scope);
    } catch (HttpException e) {
      throw new ProtocolFailure(e);
    } catch (ConnectTimeoutException | ConnectionRequestTimeoutException e) {
      throw NotSentException.of(e);
    }
  }

  /** Puts the configuration the call found back into the context, if an attempt changed it. */
  void restoreConfig() {
    if (current != config) scope.clientContext.setRequestConfig(found);
  }

  /** An {@link HttpException} on its way through the executor, which takes only I/O failures. */
  static final class ProtocolFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ProtocolFailure(HttpException cause) {
      super(cause.getMessage(), cause, false, false);
    }

    HttpException httpException() {
      return (HttpException) getCause();
    }
  }
}
