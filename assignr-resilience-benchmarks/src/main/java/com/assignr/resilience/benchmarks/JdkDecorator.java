package com.assignr.resilience.benchmarks;

import com.assignr.resilience.AssignrResilience;
import java.net.http.HttpClient;

/** Where the benchmarks get the JDK adapter's decorator. */
final class JdkDecorator {
  private JdkDecorator() {}

  /** Whether the JDK adapter's decorator is on the class path yet. */
  static final boolean AVAILABLE = false;

  /**
   * The decorator around {@code client}.
   *
   * TODO(issue 6): switch to com.assignr.resilience.jdk.AssignrHttpClient.wrap(client, resilience)
   * once the JDK adapter lands; until then this returns the bare client, so the decorator rows
   * measure nothing of ours and BENCHMARKS.md says so.
   */
  static HttpClient wrap(HttpClient client, AssignrResilience resilience) {
    return client;
  }
}
