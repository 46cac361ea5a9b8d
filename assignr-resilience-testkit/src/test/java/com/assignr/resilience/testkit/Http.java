package com.assignr.resilience.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import javax.net.ssl.SSLContext;

/** A small java.net.http client that speaks to the simulator like an Assignr client would. */
final class Http {
  static final String TOKEN = "s3cr3t-token-value";
  private final HttpClient client;

  private Http(HttpClient client) {
    this.client = client;
  }

  static Http plain() {
    return new Http(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build());
  }

  static Http trusting(SSLContext context) {
    return new Http(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .sslContext(context).connectTimeout(Duration.ofSeconds(5)).build());
  }

  HttpRequest.Builder request(String url) {
    return HttpRequest.newBuilder(URI.create(url))
        .timeout(Duration.ofSeconds(10))
        .header("Accept", AssignrSimulator.MEDIA_TYPE)
        .header("Authorization", "Bearer " + TOKEN);
  }

  HttpResponse<String> get(String url) {
    return send(request(url).GET().build());
  }

  HttpResponse<String> put(String url, String json) {
    return send(request(url).header("Content-Type", AssignrSimulator.MEDIA_TYPE)
        .PUT(HttpRequest.BodyPublishers.ofString(json)).build());
  }

  HttpResponse<String> post(String url, String json) {
    return send(request(url).header("Content-Type", AssignrSimulator.MEDIA_TYPE)
        .POST(HttpRequest.BodyPublishers.ofString(json)).build());
  }

  HttpResponse<String> delete(String url) {
    return send(request(url).DELETE().build());
  }

  HttpResponse<String> send(HttpRequest request) {
    try {
      return sendOrThrow(request);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  HttpResponse<String> sendOrThrow(HttpRequest request) throws IOException {
    try {
      return client.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static String header(HttpResponse<?> response, String name) {
    return response.headers().firstValue(name).orElse(null);
  }

  static long longHeader(HttpResponse<?> response, String name) {
    return Long.parseLong(header(response, name));
  }
}
