package com.assignr.resilience.opentelemetry;

import io.opentelemetry.context.Context;

/**
 * OpenTelemetry's shared HTTP resend counter, when opentelemetry-instrumentation-api is present
 * (it is wherever one of OpenTelemetry's HTTP client instrumentations runs: they all read it). A
 * call's context carries one counter; each instrumented request sent in it takes the next count as
 * its {@code http.request.resend_count}. Without the jar, the context is left as it is.
 */
final class ResendCounts {
  private static final boolean PRESENT = present();

  private ResendCounts() {}

  static Context initialize(Context context) {
    return PRESENT ? Present.initialize(context) : context;
  }

  private static boolean present() {
    try {
      Class.forName("io.opentelemetry.instrumentation.api.semconv.http.HttpClientRequestResendCount", false,
          ResendCounts.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /** Loaded only when the class is there. */
  private static final class Present {
    static Context initialize(Context context) {
      return io.opentelemetry.instrumentation.api.semconv.http.HttpClientRequestResendCount.initialize(context);
    }
  }
}
