// What a user of the OkHttp adapter writes: the adapter gives it core and okhttp3 transitively.
module app {
  requires com.assignr.resilience.okhttp;
  requires jdk.httpserver;
}
