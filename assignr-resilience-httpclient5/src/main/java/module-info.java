/**
 * The Apache HttpClient 5 adapter: {@link com.assignr.resilience.httpclient5.AssignrHttpClient5}
 * puts the library inside a classic {@code HttpClient}'s exec chain, in place of HttpClient's own
 * retries.
 */
// "requires-*automatic": HttpClient 5 ships automatic modules with stable Automatic-Module-Names.
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module com.assignr.resilience.httpclient5 {
  requires transitive com.assignr.resilience;
  // A provided dependency so that the application picks its version (5.4 to 5.6), not because the
  // adapter could run without it; hence not `static` (see the OkHttp adapter's descriptor).
  // AssignrHttpClient5.configure takes and returns an HttpClientBuilder.
  requires transitive org.apache.httpcomponents.client5.httpclient5;
  // Requests, responses and entities are httpcore5's types; HttpClient's automatic module reads
  // it, but only a module that requires it makes sure it is resolved.
  requires org.apache.httpcomponents.core5.httpcore5;
  // HttpClient 5.6 and httpcore5 5.4 set socket options through jdk.net.Sockets. Their automatic
  // modules cannot say so, and on the module path nothing else resolves jdk.net: without this,
  // HttpClient 5.6 fails its first connection with NoClassDefFoundError (ModulePathIT).
  requires jdk.net;

  exports com.assignr.resilience.httpclient5;
}
