package com.assignr.resilience;

import java.net.URI;
import java.util.Locale;
import java.util.Objects;

/**
 * What the engine needs to know about a request: its method, where it goes, and whether its body
 * can be sent again. The query string is deliberately not kept, so nothing that might carry a
 * credential reaches a log line or an event.
 *
 * @param method upper-case HTTP method
 * @param scheme {@code https} or {@code http}, lower-case, for the executor's HTTPS check
 * @param host the host, for the rate-limit gate's quota key and for messages
 * @param path the path without the query, for messages and events
 * @param replayableBody false when the body is one-shot or duplex and must never be sent twice
 */
public record RequestInfo(String method, String scheme, String host, String path, boolean replayableBody) {
  public RequestInfo {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(scheme, "scheme");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(path, "path");
  }

  /** A request to {@code uri}; {@code method} is upper-cased. */
  public static RequestInfo of(String method, URI uri, boolean replayableBody) {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    String host = uri.getHost() == null ? "" : uri.getHost();
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    return new RequestInfo(method.toUpperCase(Locale.ROOT), scheme, host, path, replayableBody);
  }

  @Override
  public String toString() {
    return method + " " + host + path;
  }
}
