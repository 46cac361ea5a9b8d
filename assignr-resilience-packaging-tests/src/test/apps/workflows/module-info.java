// What a user of the workflows module writes beside their adapter: the workflows module gives core.
module app {
  requires com.assignr.resilience.workflows;
  requires com.assignr.resilience.jdk;
  requires jdk.httpserver;
}
