package com.assignr.resilience.spring;

import java.net.URI;
import java.net.http.HttpClient;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.RequestEntity;
import org.springframework.http.ResponseEntity;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.http.client.SimpleClientHttpRequestFactory;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestTemplate;

/**
 * The two Spring clients behind one small facade, so every scenario runs through both: {@code
 * RestClient} on the JDK's {@code HttpClient}, {@code RestTemplate} on {@code HttpURLConnection}.
 * Requests carry what user code would: {@code Authorization}, and a JSON body with Assignr's
 * content type on writes.
 */
enum SpringClient {
  REST_CLIENT {
    @Override
    Api build(List<ClientHttpRequestInterceptor> interceptors) {
      RestClient client = RestClient.builder()
          .requestFactory(new JdkClientHttpRequestFactory(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()))
          .requestInterceptors(list -> list.addAll(interceptors))
          .build();
      return new Api() {
        @Override public String get(String url) {
          return client.get().uri(URI.create(url)).header(HttpHeaders.AUTHORIZATION, TOKEN).retrieve().body(String.class);
        }

        @Override public ResponseEntity<String> send(HttpMethod method, String url, String json) {
          return client.method(method).uri(URI.create(url)).header(HttpHeaders.AUTHORIZATION, TOKEN)
              .contentType(ASSIGNR).body(json).retrieve().toEntity(String.class);
        }

        @Override public ResponseEntity<String> post(String url) {
          return client.post().uri(URI.create(url)).header(HttpHeaders.AUTHORIZATION, TOKEN).retrieve()
              .toEntity(String.class);
        }
      };
    }
  },
  REST_TEMPLATE {
    @Override
    Api build(List<ClientHttpRequestInterceptor> interceptors) {
      RestTemplate template = new RestTemplate(new SimpleClientHttpRequestFactory());
      template.getInterceptors().addAll(interceptors);
      return new Api() {
        // RequestEntity, not HttpEntity(HttpHeaders): that constructor differs between Spring 6 and 7.
        @Override public String get(String url) {
          return template.exchange(RequestEntity.get(URI.create(url)).header(HttpHeaders.AUTHORIZATION, TOKEN).build(),
              String.class).getBody();
        }

        @Override public ResponseEntity<String> send(HttpMethod method, String url, String json) {
          return template.exchange(RequestEntity.method(method, URI.create(url)).header(HttpHeaders.AUTHORIZATION, TOKEN)
              .contentType(ASSIGNR).body(json), String.class);
        }

        @Override public ResponseEntity<String> post(String url) {
          return template.exchange(RequestEntity.post(URI.create(url)).header(HttpHeaders.AUTHORIZATION, TOKEN).build(),
              String.class);
        }
      };
    }
  };

  static final String TOKEN = "Bearer spring-test-token";
  static final MediaType ASSIGNR = MediaType.parseMediaType("application/vnd.assignr.v2.hal+json");

  /** A client with these interceptors, outermost first. */
  abstract Api build(List<ClientHttpRequestInterceptor> interceptors);

  interface Api {
    /** GET, the body as a string; Spring's status handling throws for 4xx and 5xx. */
    String get(String url);

    /** A write with a JSON body. */
    ResponseEntity<String> send(HttpMethod method, String url, String json);

    /** A POST without a body, as {@code POST /assignments/{id}/confirm} is sent. */
    ResponseEntity<String> post(String url);
  }
}
