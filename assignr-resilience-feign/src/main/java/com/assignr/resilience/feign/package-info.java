/**
 * assignr-resilience under Feign: {@link com.assignr.resilience.feign.AssignrFeign} makes the
 * {@link com.assignr.resilience.feign.AssignrCapability} that sends every request of a Feign client
 * through the library (feign-okhttp over the OkHttp adapter, or feign-java11 over the {@code
 * java.net.http} decorator) and keeps Feign's own {@code Retryer} and error decoding from resending
 * what the library decided. Feign 13.x.
 */
package com.assignr.resilience.feign;
