/**
 * assignr-resilience under Feign: {@link com.assignr.resilience.feign.AssignrFeign} makes the
 * {@link com.assignr.resilience.feign.AssignrCapability} to add to a Feign builder.
 */
module com.assignr.resilience.feign {
  requires transitive com.assignr.resilience;
  // AssignrCapability is a feign.Capability and AssignrFeignException a FeignException. Not static
  // although feign-core is a provided dependency: the application brings it, and this module
  // cannot run without it.
  requires transitive feign.core;
  // AssignrFeign.java11 takes a java.net.http.HttpClient (the JDK adapter requires
  // java.net.http transitively); the JDK adapter needs nothing outside the JDK, so it is always
  // there.
  requires transitive com.assignr.resilience.jdk;
  // One transport or the other: an application on feign-java11 has no OkHttp, one on feign-okhttp
  // may have no feign-java11. Each is used only by the factory method that names it, so these are
  // static; an application on the module path requires the one it uses (see AssignrFeign).
  // AssignrFeign.okHttp takes an okhttp3.OkHttpClient, hence transitive.
  requires static transitive okhttp3;
  requires static com.assignr.resilience.okhttp;
  requires static feign.okhttp;
  requires static feign.java11;
  requires org.slf4j;

  exports com.assignr.resilience.feign;
}
