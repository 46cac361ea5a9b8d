package com.assignr.resilience.httpclient5.internal;

import java.io.IOException;
import java.net.ConnectException;

/**
 * A failure before any byte of the request was sent, as core must see it. Not for users.
 *
 * <p>HttpClient reports two such failures with types core reads otherwise: a connect timeout
 * ({@code ConnectTimeoutException}, a {@code SocketTimeoutException}, which core takes for a read
 * timeout after sending, retried for idempotent methods only) and a wait for a pooled connection
 * that ran out ({@code ConnectionRequestTimeoutException}, an {@code InterruptedIOException}, which
 * core takes for a cancellation, never retried). In both, no connection carried the request, so
 * the rules allow a resend for every method: a {@link ConnectException}, the failure core knows as
 * "never established", with HttpClient's own exception as its cause.
 */
final class NotSentException extends ConnectException {
  private static final long serialVersionUID = 1L;

  private NotSentException(String message) {
    super(message);
  }

  static NotSentException of(IOException failure) {
    NotSentException e = new NotSentException(failure.getMessage() + " (nothing was sent)");
    e.initCause(failure);
    return e;
  }
}
