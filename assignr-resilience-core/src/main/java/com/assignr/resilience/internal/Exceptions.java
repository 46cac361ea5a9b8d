package com.assignr.resilience.internal;

import com.assignr.resilience.AssignrException;
import com.assignr.resilience.BadRequestException;
import com.assignr.resilience.CircuitOpenException;
import com.assignr.resilience.ConflictException;
import com.assignr.resilience.FailureDetails;
import com.assignr.resilience.ForbiddenException;
import com.assignr.resilience.NotFoundException;
import com.assignr.resilience.PaymentRequiredException;
import com.assignr.resilience.RateLimitedException;
import com.assignr.resilience.ServerErrorException;
import com.assignr.resilience.TransportException;
import com.assignr.resilience.UnauthorizedException;
import com.assignr.resilience.ValidationException;
import java.util.List;

/** Builds the typed exception for a final outcome. Not for users. */
public final class Exceptions {
  private Exceptions() {}

  public static AssignrException forOutcome(FailureDetails d, Throwable cause, List<Throwable> earlier) {
    AssignrException e;
    switch (d.classification()) {
      case BAD_REQUEST: e = new BadRequestException(d, cause); break;
      case UNAUTHORIZED: e = new UnauthorizedException(d, cause); break;
      case PAYMENT_REQUIRED: e = new PaymentRequiredException(d, cause); break;
      case FORBIDDEN: e = new ForbiddenException(d, cause); break;
      case NOT_FOUND: e = new NotFoundException(d, cause); break;
      case CONFLICT: e = new ConflictException(d, cause); break;
      case VALIDATION_FAILED: e = new ValidationException(d, cause); break;
      case RATE_LIMITED: e = new RateLimitedException(d, cause); break;
      case SERVER_ERROR:
      case SERVICE_UNAVAILABLE: e = new ServerErrorException(d, cause); break;
      case CONNECT_FAILURE:
      case IO_FAILURE:
      case TLS_FAILURE: e = new TransportException(d, cause); break;
      default: e = new AssignrException(d, cause);
    }
    return withEarlier(e, earlier, cause);
  }

  public static RateLimitedException rateLimited(FailureDetails d, List<Throwable> earlier) {
    return withEarlier(new RateLimitedException(d, null), earlier, null);
  }

  public static CircuitOpenException circuitOpen(FailureDetails d, Throwable cause, List<Throwable> earlier) {
    return withEarlier(new CircuitOpenException(d, cause), earlier, cause);
  }

  /** The failure inside a future's wrappers ({@code CompletionException}, {@code ExecutionException}). */
  public static Throwable unwrap(Throwable t) {
    while ((t instanceof java.util.concurrent.CompletionException
        || t instanceof java.util.concurrent.ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  private static <E extends Throwable> E withEarlier(E e, List<Throwable> earlier, Throwable cause) {
    if (earlier != null) {
      for (Throwable t : earlier) {
        if (t != cause) e.addSuppressed(t);
      }
    }
    return e;
  }
}
