// What a user of the Feign module on feign-okhttp writes: the module gives core and feign.core
// transitively; the transport is the application's choice, so it requires it (and the OkHttp
// adapter under it). No feign.java11: the module requires it statically.
module app {
  requires com.assignr.resilience.feign;
  requires com.assignr.resilience.okhttp;
  requires feign.okhttp;
  requires jdk.httpserver;
}
