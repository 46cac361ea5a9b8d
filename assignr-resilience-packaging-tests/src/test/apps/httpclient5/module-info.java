// What a user of the HttpClient 5 adapter writes: it gives core and httpclient5 transitively;
// httpcore5's types (responses, entities) are the application's own business to require.
module app {
  requires com.assignr.resilience.httpclient5;
  requires org.apache.httpcomponents.core5.httpcore5;
  requires jdk.httpserver;
}
