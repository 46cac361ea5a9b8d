// What a user of the Feign module on feign-java11 writes. No OkHttp is resolved: the module
// requires okhttp3, feign.okhttp and the OkHttp adapter statically.
module app {
  requires com.assignr.resilience.feign;
  requires feign.java11;
  requires jdk.httpserver;
}
