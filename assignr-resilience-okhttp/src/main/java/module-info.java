/**
 * The OkHttp adapter: {@link com.assignr.resilience.okhttp.AssignrInterceptor} and {@link
 * com.assignr.resilience.okhttp.AssignrCallFactory}, for OkHttp 4.12 and 5.x, and {@link
 * com.assignr.resilience.okhttp.OkHttpTokenTransport} for the OAuth module's token requests.
 */
@SuppressWarnings("requires-automatic")
module com.assignr.resilience.okhttp {
  requires transitive com.assignr.resilience;
  requires org.slf4j;
  // OkHttp is a provided dependency so that the application picks its version (5.x is the
  // module okhttp3; 4.12 is the automatic module okhttp3), not because the adapter could run
  // without it. Hence no `static`: a static okhttp3 is not resolved at run time unless the
  // application itself requires it, and an application that only requires this module (its
  // API hands out okhttp3 types, so javac lets it) fails with NoClassDefFoundError.
  requires transitive okhttp3;
  // The adapter uses okio.Timeout and Kotlin's KClass/Function0 (Call's Kotlin signatures)
  // directly. OkHttp 5 would give both transitively; OkHttp 4.12's automatic module requires
  // nothing, so without these kotlin.stdlib is never resolved and OkHttp 4.12 itself fails.
  requires okio;
  requires kotlin.stdlib;
  // OkHttpTokenTransport implements the OAuth module's TokenTransport; only an application that
  // uses it needs that module (and has it, as it builds its credentials there).
  requires static com.assignr.resilience.oauth;

  exports com.assignr.resilience.okhttp;
}
