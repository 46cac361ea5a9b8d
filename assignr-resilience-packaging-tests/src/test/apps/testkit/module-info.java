// A test program on the module path: the testkit is an automatic module and reads WireMock
// (which cannot be a module) from the class path.
module app {
  requires com.assignr.resilience.jdk;
  requires com.assignr.resilience.testkit;
}
