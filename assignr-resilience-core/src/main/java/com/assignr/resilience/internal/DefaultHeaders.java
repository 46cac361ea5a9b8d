package com.assignr.resilience.internal;

import java.util.function.BiFunction;

/**
 * The one rule for the headers every adapter adds to a request (OkHttp, {@code java.net.http},
 * Spring), so they cannot disagree. Not for users.
 *
 * <ul>
 *   <li>{@code Accept: application/vnd.assignr.v2.hal+json} on every request that has no {@code
 *       Accept}: Assignr asks it of every request.
 *   <li>{@code Content-Type: <writeContentType>} on every {@code POST} that has no {@code
 *       Content-Type}, <em>with or without a body</em>: Assignr's API says "POST requests must
 *       send Content-Type", and its bodiless POSTs ({@code POST /assignments/{id}/confirm}) are
 *       POSTs too. Other methods get none: a GET with a Content-Type is odd, and Assignr names
 *       only POST.
 *   <li>A header the caller set always wins, whatever its value; that includes a body's own media
 *       type where the client sends it as the {@code Content-Type} (OkHttp's {@code RequestBody}).
 * </ul>
 *
 * <p>Adapters ask {@link #missing}, then add what it names in their client's own way; when nothing
 * is missing (the common case once a caller sets both) they leave the request untouched.
 */
public final class DefaultHeaders {
  /** The {@code Accept} header's name. */
  public static final String ACCEPT = "Accept";
  /** The {@code Content-Type} header's name. */
  public static final String CONTENT_TYPE = "Content-Type";

  private DefaultHeaders() {}

  /** Which of the defaults a request lacks. */
  public enum Missing {
    /** The request has what it needs. */
    NONE(false, false),
    /** It lacks {@code Accept}. */
    ACCEPT(true, false),
    /** It is a POST that lacks {@code Content-Type}. */
    CONTENT_TYPE(false, true),
    /** Both. */
    BOTH(true, true);

    private final boolean accept;
    private final boolean contentType;

    Missing(boolean accept, boolean contentType) {
      this.accept = accept;
      this.contentType = contentType;
    }

    /** @return whether to add {@code Accept: application/vnd.assignr.v2.hal+json} */
    public boolean accept() {
      return accept;
    }

    /** @return whether to add {@code Content-Type: <writeContentType>} */
    public boolean contentType() {
      return contentType;
    }
  }

  /**
   * Which default headers a request lacks. {@code Content-Type} is read only for a POST, and
   * {@code header} should be a method reference that captures nothing ({@code
   * HttpHeaders::getFirst}), so that asking allocates nothing on the success path.
   *
   * @param method the request's method, in any case
   * @param request the request (or its headers), handed to {@code header}
   * @param header the first value of a named header as the client will send it (for OkHttp, a
   *     body's media type is the {@code Content-Type}), or null when absent
   * @param <R> the client's request or headers type
   * @return what to add
   */
  public static <R> Missing missing(String method, R request, BiFunction<R, String, String> header) {
    boolean addAccept = header.apply(request, ACCEPT) == null;
    boolean addContentType = "POST".equalsIgnoreCase(method) && header.apply(request, CONTENT_TYPE) == null;
    return addAccept ? (addContentType ? Missing.BOTH : Missing.ACCEPT)
        : (addContentType ? Missing.CONTENT_TYPE : Missing.NONE);
  }
}
