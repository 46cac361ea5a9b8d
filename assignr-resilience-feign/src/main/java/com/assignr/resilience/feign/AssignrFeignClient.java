package com.assignr.resilience.feign;

import com.assignr.resilience.AssignrResilience;
import com.assignr.resilience.internal.DefaultHeaders;
import feign.Client;
import feign.Request;
import feign.Response;
import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * The Feign {@link Client} a capability installs: one of Feign's own transports (feign-okhttp,
 * feign-java11) over a client that carries the library. It retries nothing itself; it only keeps
 * the Feign layer from undoing the library's setup, which Feign's transports do in two places:
 *
 * <ul>
 *   <li><b>Options.</b> Both build a client of their own, per request, when Feign's {@link
 *       Request.Options} disagree with the client they were given: feign-okhttp a copy with the
 *       options' redirect setting (Feign's default follows redirects, which {@code
 *       AssignrInterceptor.configure} turned off), feign-java11 a plain {@code HttpClient} without
 *       the decorator at all when redirects or the connect timeout differ. Every request's options
 *       (the builder's, or a {@code Request.Options} argument of the method) are rewritten here so
 *       that they agree.
 *   <li><b>{@code Accept}.</b> Both add {@code Accept: *}{@code /*} to a request without one, so the
 *       adapter below, which adds Assignr's media type only when the caller set none, never does.
 *       The caller's choice is visible only here, so the same rule is applied here first.
 * </ul>
 */
final class AssignrFeignClient implements Client {
  private final String name;
  private final Client transport;
  private final UnaryOperator<Request.Options> options;

  AssignrFeignClient(String name, Client transport, UnaryOperator<Request.Options> options) {
    this.name = name;
    this.transport = transport;
    this.options = options;
  }

  @Override
  public Response execute(Request request, Request.Options options) throws IOException {
    return transport.execute(withAssignrAccept(request), this.options.apply(options));
  }

  /**
   * {@code request}, with Assignr's {@code Accept} when core's one rule ({@link DefaultHeaders})
   * says it lacks one. Only {@code Accept}: the adapter below adds a POST's {@code Content-Type}.
   */
  static Request withAssignrAccept(Request request) {
    if (!DefaultHeaders.missing(request.httpMethod().name(), request, AssignrFeignClient::firstHeader).accept()) {
      return request;
    }
    Map<String, Collection<String>> withAccept = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    withAccept.putAll(request.headers());
    withAccept.put(DefaultHeaders.ACCEPT, List.of(AssignrResilience.ASSIGNR_MEDIA_TYPE));
    return Request.create(request.httpMethod(), request.url(), withAccept, request.body(),
        request.charset(), request.requestTemplate());
  }

  /** The first value of header {@code name} of {@code request} (any case), or null. */
  private static String firstHeader(Request request, String name) {
    for (Map.Entry<String, Collection<String>> header : request.headers().entrySet()) {
      if (header.getKey().equalsIgnoreCase(name) && !header.getValue().isEmpty()) {
        return header.getValue().iterator().next();
      }
    }
    return null;
  }

  @Override
  public String toString() {
    return "AssignrFeignClient{" + name + '}';
  }
}
