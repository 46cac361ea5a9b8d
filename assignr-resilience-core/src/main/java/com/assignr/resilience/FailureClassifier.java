package com.assignr.resilience;

import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedByInterruptException;
import java.util.concurrent.CancellationException;

/**
 * Decides whether a failure happened before anything was sent (safe to retry for every method),
 * after the request may have been sent (idempotent methods only), because the caller cancelled
 * (never retried), or is no I/O failure at all (a runtime exception: never retried, rethrown). Adapters know more than the exception type (OkHttp knows whether
 * its call was cancelled) and pass that in.
 */
final class FailureClassifier {
  private FailureClassifier() {}

  /**
   * Classifies {@code failure}.
   *
   * @param cancelled whether the caller's call or future was cancelled (always wins)
   */
  public static Classification classify(Throwable failure, boolean cancelled) {
    if (cancelled) return Classification.CANCELLED;
    if (isPermanentTlsFailure(failure)) return Classification.TLS_FAILURE;
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof CancellationException
          || t instanceof InterruptedException
          || t instanceof ClosedByInterruptException) {
        return Classification.CANCELLED;
      }
      if (t instanceof ConnectException
          || t instanceof UnknownHostException
          || t instanceof NoRouteToHostException
          || t instanceof PortUnreachableException) {
        // java.net.http's HttpConnectTimeoutException extends HttpTimeoutException, not
        // ConnectException; it is recognised by name so core needs no java.net.http types.
        return Classification.CONNECT_FAILURE;
      }
      if (t.getClass().getName().equals("java.net.http.HttpConnectTimeoutException")) {
        return Classification.CONNECT_FAILURE;
      }
      if (t instanceof InterruptedIOException && !(t instanceof SocketTimeoutException)
          && !t.getClass().getName().startsWith("java.net.http.")) {
        // OkHttp reports its call timeout as InterruptedIOException("timeout"): the deadline,
        // which is final. A read timeout (SocketTimeoutException) is an ordinary I/O failure.
        return Classification.CANCELLED;
      }
    }
    Throwable io = failure instanceof java.io.UncheckedIOException ? failure.getCause() : failure;
    return io instanceof java.io.IOException ? Classification.IO_FAILURE : Classification.UNEXPECTED_FAILURE;
  }

  /**
   * A TLS failure is permanent (a certificate, a hostname, protocols or ciphers, plaintext on a
   * TLS port: the same next time) unless a plain I/O failure caused it: a connection reset or
   * closed mid-handshake is the network's doing and is retried like any other.
   */
  private static boolean isPermanentTlsFailure(Throwable failure) {
    Throwable tls = null;
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof javax.net.ssl.SSLException) {
        tls = t;
        break;
      }
    }
    if (tls == null) return false;
    if (tls instanceof javax.net.ssl.SSLPeerUnverifiedException) return true;
    for (Throwable t = tls.getCause(); t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof java.security.GeneralSecurityException) return true;
      if (t instanceof java.io.IOException && !(t instanceof javax.net.ssl.SSLException)) return false;
    }
    return true;
  }
}
