package com.assignr.resilience.testkit;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A one-off response for {@link FaultScript}: any status, headers and body, for cases the API
 * model never produces, such as a 429 with a malformed {@code X-Ratelimit-Reset-Seconds-Remaining}
 * or a 5 MB 503 body.
 *
 * <p>Immutable: every method returns a new instance. By default the simulator still adds its own
 * {@code X-Ratelimit-*} and {@code Date} headers (for a scripted 429 it reports
 * {@code X-Ratelimit-Remaining: 0}); a {@link #header(String, String) scripted header} replaces the
 * simulator's header of the same name (case-insensitive), {@link #withoutHeader(String)} removes one,
 * and {@link #withoutRateLimitHeaders()} sends none of them.
 *
 * <pre>{@code
 * ScriptedResponse.status(429)
 *     .header("X-Ratelimit-Reset-Seconds-Remaining", "soon")
 *     .withoutHeader("X-Ratelimit-Reset");
 * ScriptedResponse.status(503).bodyOfSize(5 * 1024 * 1024);
 * }</pre>
 */
public final class ScriptedResponse {

  private final int status;
  private final List<Map.Entry<String, String>> headers;
  private final List<String> removedHeaders;
  private final byte[] body;
  private final boolean rateLimitHeaders;

  private ScriptedResponse(
      int status,
      List<Map.Entry<String, String>> headers,
      List<String> removedHeaders,
      byte[] body,
      boolean rateLimitHeaders) {
    this.status = status;
    this.headers = headers;
    this.removedHeaders = removedHeaders;
    this.body = body;
    this.rateLimitHeaders = rateLimitHeaders;
  }

  /**
   * A response with this status, no body, and the simulator's rate-limit headers.
   *
   * @param status an HTTP status, 100 to 599
   * @return the response
   * @throws IllegalArgumentException if the status is out of range
   */
  public static ScriptedResponse status(int status) {
    if (status < 100 || status > 599) {
      throw new IllegalArgumentException("status must be 100..599, was " + status);
    }
    return new ScriptedResponse(status, List.of(), List.of(), new byte[0], true);
  }

  /**
   * Adds a header; repeat the name for several values. Replaces the simulator's own header of
   * that name.
   *
   * @param name header name
   * @param value header value, sent as is (malformed values are the point)
   * @return a new response
   */
  public ScriptedResponse header(String name, String value) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(value, "value");
    List<Map.Entry<String, String>> copy = new ArrayList<>(headers);
    copy.add(Map.entry(name, value));
    return new ScriptedResponse(status, List.copyOf(copy), removedHeaders, body, rateLimitHeaders);
  }

  /**
   * Removes a header the simulator would otherwise add, e.g. {@code X-Ratelimit-Reset}.
   *
   * @param name header name, case-insensitive
   * @return a new response
   */
  public ScriptedResponse withoutHeader(String name) {
    List<String> copy = new ArrayList<>(removedHeaders);
    copy.add(name.toLowerCase(Locale.ROOT));
    return new ScriptedResponse(status, headers, List.copyOf(copy), body, rateLimitHeaders);
  }

  /**
   * Sends none of the simulator's {@code X-Ratelimit-*} headers (a {@code Date} is still sent).
   *
   * @return a new response
   */
  public ScriptedResponse withoutRateLimitHeaders() {
    return new ScriptedResponse(status, headers, removedHeaders, body, false);
  }

  /**
   * Sets a UTF-8 body. Add a {@code Content-Type} with {@link #header(String, String)} if needed.
   *
   * @param text the body
   * @return a new response
   */
  public ScriptedResponse body(String text) {
    return body(text.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Sets a binary body.
   *
   * @param bytes the body, copied
   * @return a new response
   */
  public ScriptedResponse body(byte[] bytes) {
    return new ScriptedResponse(status, headers, removedHeaders, bytes.clone(), rateLimitHeaders);
  }

  /**
   * Sets a body of exactly {@code bytes} bytes of filler text, e.g. to test bounded body excerpts.
   *
   * @param bytes body size, zero or more
   * @return a new response
   */
  public ScriptedResponse bodyOfSize(int bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("bytes must be >= 0, was " + bytes);
    }
    byte[] filler = new byte[bytes];
    Arrays.fill(filler, (byte) 'x');
    return new ScriptedResponse(status, headers, removedHeaders, filler, rateLimitHeaders);
  }

  /**
   * The status.
   *
   * @return the status
   */
  public int statusCode() {
    return status;
  }

  /**
   * The scripted headers in order.
   *
   * @return name/value pairs, unmodifiable
   */
  public List<Map.Entry<String, String>> headers() {
    return headers;
  }

  /**
   * Lower-case names of the simulator headers to leave out.
   *
   * @return names, unmodifiable
   */
  public List<String> removedHeaders() {
    return Collections.unmodifiableList(removedHeaders);
  }

  /**
   * A copy of the body.
   *
   * @return the body bytes, possibly empty
   */
  public byte[] bodyBytes() {
    return body.clone();
  }

  /**
   * Whether the simulator adds its rate-limit headers.
   *
   * @return true unless {@link #withoutRateLimitHeaders()} was called
   */
  public boolean rateLimitHeaders() {
    return rateLimitHeaders;
  }

  @Override
  public String toString() {
    return "ScriptedResponse{status=" + status + ", headers=" + headers + ", body=" + body.length
        + " bytes}";
  }
}
