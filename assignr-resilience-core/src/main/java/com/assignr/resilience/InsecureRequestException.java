package com.assignr.resilience;

/**
 * A request to a plain-HTTP URL, refused before a byte was sent. Assignr answers {@code http://}
 * with a 302 to HTTPS, and both OkHttp and {@code java.net.http} turn a POST into a GET when they
 * follow it, so an {@code http://} base URL would silently turn writes into reads.
 */
public final class InsecureRequestException extends java.io.IOException {
  private static final long serialVersionUID = 1L;

  public InsecureRequestException(String method, String scheme, String host, String path) {
    super("Refusing to send " + method + " " + scheme + "://" + host + path
        + ": Assignr is HTTPS-only and answers plain HTTP with a 302 that HTTP clients follow by"
        + " turning a POST into a GET. Use https://"
        + " (for a local simulator, AssignrResilience.builder().allowInsecureLoopback(true)).");
  }
}
