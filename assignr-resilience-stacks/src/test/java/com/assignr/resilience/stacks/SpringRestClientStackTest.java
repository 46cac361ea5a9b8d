package com.assignr.resilience.stacks;

import com.assignr.resilience.jdk.AssignrHttpClient;
import java.net.http.HttpClient;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientResponseException;

/** Writes through Spring's RestClient (spring-web, no Boot) over the JDK decorator. */
@Timeout(60)
class SpringRestClientStackTest {
  static final Rig RIG = new Rig("spring-restclient");
  static final MediaType ASSIGNR = MediaType.parseMediaType("application/vnd.assignr.v2.hal+json");

  @AfterAll
  static void writeMatrix() {
    RIG.close();
  }

  static StackClient restClient(HttpClient client) {
    RestClient rest = RestClient.builder()
        .requestFactory(new JdkClientHttpRequestFactory(client))
        .baseUrl(RIG.base())
        .defaultHeader("Authorization", OkHttpStack.TOKEN)
        .build();
    return new StackClient() {
      @Override
      public int get(String path) {
        return status(() -> rest.get().uri(path).retrieve().toBodilessEntity().getStatusCode().value());
      }

      @Override
      public int write(String method, String path, String json) {
        return status(() -> rest.method(HttpMethod.valueOf(method)).uri(path).contentType(ASSIGNR)
            .body(json).retrieve().toBodilessEntity().getStatusCode().value());
      }
    };
  }

  /** The status Spring answered with or threw (RestClientResponseException for 4xx/5xx). */
  static int status(java.util.function.IntSupplier call) {
    try {
      return call.getAsInt();
    } catch (RestClientResponseException e) {
      return e.getStatusCode().value();
    }
  }

  @TestFactory
  Stream<DynamicTest> overTheJdkDecorator() {
    return RIG.matrix("Spring RestClient over JdkClientHttpRequestFactory(AssignrHttpClient.wrap(...))", false,
        r -> restClient(AssignrHttpClient.wrap(HttpClient.newBuilder().sslContext(RIG.sim.sslContext()).build(), r)));
  }
}
