// What a user of the OAuth module writes, with the OkHttp adapter: the adapter's token transport
// resolves the OAuth module (its `requires static`) because the application requires it.
module app {
  requires com.assignr.resilience.oauth;
  requires com.assignr.resilience.okhttp;
  requires jdk.httpserver;
}
