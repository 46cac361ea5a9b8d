// What a user of the java.net.http adapter writes: it gives core and java.net.http transitively.
module app {
  requires com.assignr.resilience.jdk;
  requires jdk.httpserver;
}
