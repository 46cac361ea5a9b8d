/**
 * Assignr-aware retries for {@code java.net.http}: {@link
 * com.assignr.resilience.jdk.AssignrHttpClient} wraps an {@code HttpClient} you already configured.
 */
module com.assignr.resilience.jdk {
  // AssignrHttpClient is a java.net.http.HttpClient and takes an AssignrResilience.
  requires transitive java.net.http;
  requires transitive com.assignr.resilience;

  exports com.assignr.resilience.jdk;
}
