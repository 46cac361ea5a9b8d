package com.assignr.resilience.feign;

import com.assignr.resilience.AssignrException;
import feign.FeignException;
import feign.Request;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The library's {@link AssignrException} thrown from a Feign method that does not declare it: a
 * {@link FeignException} (unchecked, as Feign's own are) whose {@linkplain #getCause() cause} is the
 * typed exception ({@code ConflictException}, {@code RateLimitedException} with {@code retryAt()},
 * {@code TransportException}…) and whose {@link #status()} is its status, or -1 when no response
 * arrived (Feign's convention). Unlike Feign's {@code RetryableException}, which Feign would have
 * thrown in its place, it tells no layer above that the call may be sent again: the library has
 * already sent it as often as the rules allow.
 *
 * <pre>{@code
 * try {
 *   api.updateGame(id, json);
 * } catch (AssignrFeignException e) {
 *   if (e.assignrException() instanceof ConflictException) {
 *     // GET the game again and PUT with the fresh lock_version
 *   }
 * }
 * }</pre>
 *
 * <p>A method that declares {@code throws AssignrException} (or {@code IOException}) gets the
 * typed exception itself.
 */
public final class AssignrFeignException extends FeignException {
  private static final long serialVersionUID = 1L;

  private AssignrFeignException(AssignrException cause, Request request, byte[] excerpt) {
    super(status(cause), cause.getMessage(), request, cause, excerpt, Map.of());
  }

  private AssignrFeignException(AssignrException cause, byte[] excerpt) {
    super(status(cause), cause.getMessage(), cause, excerpt, Map.of());
  }

  /** {@code cause}, for a method that does not declare it; {@code request} is Feign's, or null. */
  static AssignrFeignException of(AssignrException cause, Request request) {
    byte[] excerpt = cause.bodyExcerpt() == null ? null : cause.bodyExcerpt().getBytes(StandardCharsets.UTF_8);
    return request == null ? new AssignrFeignException(cause, excerpt)
        : new AssignrFeignException(cause, request, excerpt);
  }

  private static int status(AssignrException cause) {
    return cause.status() > 0 ? cause.status() : -1;
  }

  /**
   * The library's exception: what was called, what came back, the attempts, and why it stopped.
   *
   * @return the typed exception, this exception's cause
   */
  public AssignrException assignrException() {
    return (AssignrException) getCause();
  }
}
