package com.assignr.resilience.stacks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.assignr.resilience.AssignrResilience;
import com.assignr.resilience.httpclient5.AssignrHttpClient5;
import com.assignr.resilience.testkit.AssignrSimulator;
import java.io.IOException;
import java.net.URI;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.http.io.support.ClassicRequestBuilder;
import org.apache.hc.core5.io.CloseMode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.client.HttpComponentsClientHttpRequestFactory;
import org.springframework.web.client.RestClient;

/**
 * Writes through Apache HttpClient 5 configured with {@code AssignrHttpClient5.configure}, called
 * directly and under Spring's {@code RestClient} over {@code HttpComponentsClientHttpRequestFactory}.
 * After each scenario the pool must have no connection leased.
 */
@Timeout(60)
class HttpClient5StackTest {
  static final Rig RIG = new Rig("httpclient5");
  static final ContentType ASSIGNR = ContentType.create(AssignrSimulator.MEDIA_TYPE);

  @AfterAll
  static void writeMatrix() {
    RIG.close();
  }

  /** A configured client on a pool of its own; closing the stack checks the pool and closes both. */
  private abstract static class Hc5Stack implements StackClient {
    final PoolingHttpClientConnectionManager pool = PoolingHttpClientConnectionManagerBuilder.create()
        .setTlsSocketStrategy(new DefaultClientTlsStrategy(RIG.sim.sslContext()))
        .build();
    final CloseableHttpClient client;

    Hc5Stack(AssignrResilience resilience) {
      client = AssignrHttpClient5.configure(HttpClients.custom().setConnectionManager(pool), resilience).build();
    }

    @Override
    public void close() {
      try {
        assertEquals(0, pool.getTotalStats().getLeased(), "connections still leased: a response was leaked");
      } finally {
        client.close(CloseMode.IMMEDIATE);
      }
    }
  }

  static StackClient direct(AssignrResilience resilience) {
    return new Hc5Stack(resilience) {
      @Override
      public int get(String path) throws IOException {
        return send(ClassicRequestBuilder.get(RIG.base() + path).build());
      }

      @Override
      public int write(String method, String path, String json) throws IOException {
        return send(ClassicRequestBuilder.create(method).setUri(RIG.base() + path)
            .setEntity(new StringEntity(json, ASSIGNR)).build());
      }

      private int send(ClassicHttpRequest request) throws IOException {
        request.setHeader("Authorization", OkHttpStack.TOKEN);
        return client.execute(request, response -> {
          EntityUtils.consume(response.getEntity());
          return response.getCode();
        });
      }
    };
  }

  static StackClient restClient(AssignrResilience resilience) {
    return new Hc5Stack(resilience) {
      final RestClient rest = RestClient.builder()
          .requestFactory(new HttpComponentsClientHttpRequestFactory(client))
          .defaultHeader("Authorization", OkHttpStack.TOKEN)
          .build();

      @Override
      public int get(String path) {
        return SpringRestClientStackTest.status(() ->
            rest.get().uri(URI.create(RIG.base() + path)).retrieve().toBodilessEntity().getStatusCode().value());
      }

      @Override
      public int write(String method, String path, String json) {
        return SpringRestClientStackTest.status(() -> rest.method(HttpMethod.valueOf(method))
            .uri(URI.create(RIG.base() + path)).contentType(MediaType.parseMediaType(AssignrSimulator.MEDIA_TYPE))
            .body(json).retrieve().toBodilessEntity().getStatusCode().value());
      }
    };
  }

  private static Stream<DynamicTest> matrix(String stack, Function<AssignrResilience, StackClient> build) {
    return RIG.matrix(stack, false, build);
  }

  @TestFactory
  Stream<DynamicTest> httpClient5Configured() {
    return matrix("HttpClient " + HttpClient5StackTest.version() + ", AssignrHttpClient5.configure",
        HttpClient5StackTest::direct);
  }

  @TestFactory
  Stream<DynamicTest> springRestClientOnTheConfiguredClient() {
    return matrix("Spring RestClient on HttpComponentsClientHttpRequestFactory(HttpClient "
        + HttpClient5StackTest.version() + ", AssignrHttpClient5.configure)", HttpClient5StackTest::restClient);
  }

  @TestFactory
  Stream<DynamicTest> withThrowOnFailure() {
    return RIG.matrix("HttpClient " + version() + ", AssignrHttpClient5.configure, throwOnFailure", true,
        HttpClient5StackTest::direct);
  }

  static String version() {
    var info = org.apache.hc.core5.util.VersionInfo.loadVersionInfo("org.apache.hc.client5",
        HttpClients.class.getClassLoader());
    return info == null ? "5" : info.getRelease();
  }
}
