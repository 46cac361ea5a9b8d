/**
 * The OkHttp adapter: {@link com.assignr.resilience.okhttp.AssignrInterceptor} and {@link
 * com.assignr.resilience.okhttp.AssignrCallFactory}, for OkHttp 4.12 and 5.x.
 */
@SuppressWarnings("requires-automatic")
module com.assignr.resilience.okhttp {
  requires transitive com.assignr.resilience;
  requires org.slf4j;
  // OkHttp is provided: the application brings the version it runs (5.x is the module okhttp3,
  // which requires okio and kotlin.stdlib transitively; 4.12 is the automatic module okhttp3).
  // The adapter touches okio.Timeout and kotlin's KClass/Function0 directly (Call's Kotlin
  // signatures), so it reads both itself too: with OkHttp 4.12 nothing else would make it.
  requires static transitive okhttp3;
  requires static okio;
  requires static kotlin.stdlib;

  exports com.assignr.resilience.okhttp;
}
