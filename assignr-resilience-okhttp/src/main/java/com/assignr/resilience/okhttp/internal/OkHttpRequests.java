package com.assignr.resilience.okhttp.internal;

import com.assignr.resilience.AssignrResilience;
import com.assignr.resilience.spi.AttemptContext;
import com.assignr.resilience.spi.CallOptions;
import com.assignr.resilience.spi.CancellationSignal;
import com.assignr.resilience.RequestInfo;
import com.assignr.resilience.internal.DefaultHeaders;
import java.time.Duration;
import java.util.Locale;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;

/** Turns an OkHttp request into what core needs. Not for users. */
public final class OkHttpRequests {
  private OkHttpRequests() {}

  /**
   * Adds the default headers core's {@link DefaultHeaders} names: {@code Accept} unless set, and
   * on a POST without a {@code Content-Type} the configured write content type. OkHttp's bridge
   * sends a body's own media type as the {@code Content-Type}, replacing the header, so that media
   * type counts as the caller's choice and is left alone.
   */
  public static Request prepare(Request request, AssignrResilience resilience) {
    DefaultHeaders.Missing missing = DefaultHeaders.missing(request.method(), request, OkHttpRequests::headerAsSent);
    if (missing == DefaultHeaders.Missing.NONE) return request;
    Request.Builder builder = request.newBuilder();
    if (missing.accept()) builder.header(DefaultHeaders.ACCEPT, AssignrResilience.ASSIGNR_MEDIA_TYPE);
    if (missing.contentType()) builder.header(DefaultHeaders.CONTENT_TYPE, resilience.writeContentType());
    return builder.build();
  }

  /** A header as OkHttp's bridge will send it: a body's media type is the {@code Content-Type}. */
  private static String headerAsSent(Request request, String name) {
    if (name.equals(DefaultHeaders.CONTENT_TYPE)) {
      RequestBody body = request.body();
      MediaType type = body == null ? null : body.contentType();
      if (type != null) return type.toString();
    }
    return request.header(name);
  }

  /**
   * {@code request} as attempt {@code attempt} sends it: with the library's access token when the
   * executor manages one for it (the request then had no {@code Authorization}), and the attempt's
   * own trace-propagation headers when a tracer propagates.
   */
  public static Request forAttempt(Request request, AttemptContext attempt) {
    String authorization = attempt.authorization();
    java.util.Map<String, String> trace = attempt.propagationHeaders();
    if (authorization == null && trace.isEmpty()) return request;
    Request.Builder copy = request.newBuilder();
    if (authorization != null) copy.header("Authorization", authorization);
    trace.forEach(copy::header);
    return copy.build();
  }

  /** The method, host, path (no query) and whether the body may be sent again. */
  public static RequestInfo info(Request request) {
    RequestBody body = request.body();
    boolean replayable = body == null || !(body.isOneShot() || body.isDuplex());
    HttpUrl url = request.url();
    return new RequestInfo(request.method().toUpperCase(Locale.ROOT), url.scheme(), url.host(),
        url.encodedPath(), replayable);
  }

  /**
   * The gate of the request's quota, the deadline and the cancellation signal.
   *
   * @param timeoutNanos the call's timeout, 0 for none
   */
  public static CallOptions options(Request request, long timeoutNanos, CancellationSignal cancellation) {
    return CallOptions.none()
        .withTimeout(timeoutNanos > 0 ? Duration.ofNanos(timeoutNanos) : null)
        .withCancellation(cancellation)
        .withCredentials(request.header("Authorization"));
  }
}
