package com.assignr.resilience.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/**
 * An SLF4J logger with every level on that keeps every line it is asked to log, formatted, for
 * tests that check what reaches the logs (and what must never: a token). Thread-safe. Pass it to
 * {@code Slf4jRetryListener.create(logger)}.
 */
public final class CapturingLogger extends LegacyAbstractLogger {
  private static final long serialVersionUID = 1L;

  /** Every line logged, as "LEVEL message [throwable]", in order. */
  public final List<String> lines = new CopyOnWriteArrayList<>();

  public CapturingLogger() {
    this.name = "capture";
  }

  @Override protected String getFullyQualifiedCallerName() { return null; }
  @Override public boolean isTraceEnabled() { return true; }
  @Override public boolean isDebugEnabled() { return true; }
  @Override public boolean isInfoEnabled() { return true; }
  @Override public boolean isWarnEnabled() { return true; }
  @Override public boolean isErrorEnabled() { return true; }

  @Override
  protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern, Object[] args,
      Throwable t) {
    lines.add(level + " " + MessageFormatter.basicArrayFormat(pattern, args) + (t == null ? "" : " " + t));
  }
}
