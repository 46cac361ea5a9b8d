package com.assignr.resilience.spring.internal;

import com.assignr.resilience.AssignrResilience;
import com.assignr.resilience.spi.AttemptContext;
import com.assignr.resilience.spi.CallOptions;
import com.assignr.resilience.RequestInfo;
import com.assignr.resilience.internal.DefaultHeaders;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpRequest;

/** Turns a Spring request into what core needs. Not for users. */
public final class SpringRequests {
  private SpringRequests() {}

  /**
   * Adds the default headers core's {@link DefaultHeaders} names: {@code Accept} unless the
   * request has one, and on a POST (with or without a body) without a {@code Content-Type}, the
   * configured write content type. The request's own headers always win. Spring lets
   * interceptors change the request's headers until it is sent.
   */
  public static void prepare(HttpRequest request, AssignrResilience resilience) {
    HttpHeaders headers = request.getHeaders();
    DefaultHeaders.Missing missing = DefaultHeaders.missing(request.getMethod().name(), headers, HttpHeaders::getFirst);
    if (missing.accept()) headers.set(DefaultHeaders.ACCEPT, AssignrResilience.ASSIGNR_MEDIA_TYPE);
    if (missing.contentType()) headers.set(DefaultHeaders.CONTENT_TYPE, resilience.writeContentType());
  }

  /** The method, host and path (no query); the body is a byte array, so it can always be sent again. */
  public static RequestInfo info(HttpRequest request) {
    return RequestInfo.of(request.getMethod().name(), request.getURI(), true);
  }

  /**
   * The credentials for the quota key. Spring's clients have no per-call deadline or cancellation
   * of their own: the policy's {@code totalTimeout} is the deadline, and interrupting the calling
   * thread cancels a wait.
   */
  public static CallOptions options(HttpRequest request) {
    return CallOptions.none().withCredentials(request.getHeaders().getFirst(HttpHeaders.AUTHORIZATION));
  }

  /**
   * {@code request} as one attempt sends it: with the library's access token when the executor
   * manages one for this call (the request then had no {@code Authorization}). An interceptor's
   * request headers are writable, and every attempt sets the current token again.
   */
  public static HttpRequest forAttempt(HttpRequest request, AttemptContext attempt) {
    String authorization = attempt.authorization();
    if (authorization != null) request.getHeaders().set("Authorization", authorization);
    // The attempt's own trace context, when a tracer propagates (see CallObservation).
    attempt.propagationHeaders().forEach(request.getHeaders()::set);
    return request;
  }
}
