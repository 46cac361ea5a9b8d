package com.assignr.resilience.okhttp.internal;

import com.assignr.resilience.AssignrResilience;
import com.assignr.resilience.spi.AttemptContext;
import com.assignr.resilience.spi.CallOptions;
import com.assignr.resilience.spi.CancellationSignal;
import com.assignr.resilience.InsecureRequestException;
import com.assignr.resilience.RequestInfo;
import java.time.Duration;
import java.util.Locale;
import okhttp3.HttpUrl;
import okhttp3.Request;
import okhttp3.RequestBody;

/** Turns an OkHttp request into what core needs. Not for users. */
public final class OkHttpRequests {
  private OkHttpRequests() {}

  /**
   * Refuses plain HTTP, then adds Assignr's {@code Accept} (unless set) and, on a POST whose body
   * has no media type and that has no {@code Content-Type}, the configured write content type.
   * OkHttp's bridge replaces a {@code Content-Type} header with the body's media type when the body
   * has one, so a body's own media type is the caller's choice and is left alone.
   *
   * @throws InsecureRequestException for a non-HTTPS URL (loopback only when allowed)
   */
  public static Request prepare(Request request, AssignrResilience resilience)
      throws InsecureRequestException {
    boolean addAccept = request.header("Accept") == null;
    RequestBody body = request.body();
    boolean addContentType = "POST".equalsIgnoreCase(request.method()) && body != null
        && body.contentType() == null && request.header("Content-Type") == null;
    if (!addAccept && !addContentType) return request;
    Request.Builder builder = request.newBuilder();
    if (addAccept) builder.header("Accept", AssignrResilience.ASSIGNR_MEDIA_TYPE);
    if (addContentType) builder.header("Content-Type", resilience.writeContentType());
    return builder.build();
  }

  /**
   * {@code request} as attempt {@code attempt} sends it: with the library's access token when the
   * executor manages one for it (the request then had no {@code Authorization}).
   */
  public static Request forAttempt(Request request, AttemptContext attempt) {
    String authorization = attempt.authorization();
    return authorization == null ? request : request.newBuilder().header("Authorization", authorization).build();
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
