package com.assignr.resilience.examples;

import com.assignr.resilience.AssignrResilience;
import com.assignr.resilience.jdk.AssignrHttpClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import javax.net.ssl.SSLContext;

/**
 * The job's calls over {@code java.net.http}: the team's own {@link HttpClient}, wrapped once by
 * {@link AssignrHttpClient#wrap}. Calls are synchronous ({@code send}) on the job's worker threads.
 */
final class JdkApi implements AssignrApi {
  private final HttpClient client;
  private final String authorization;
  private final ObjectMapper mapper;

  JdkApi(AssignrResilience resilience, String authorization, SSLContext ssl, ObjectMapper mapper) {
    HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10));
    if (ssl != null) builder.sslContext(ssl);
    this.client = AssignrHttpClient.wrap(builder.build(), resilience);
    this.authorization = authorization;
    this.mapper = mapper;
  }

  @Override
  public String name() {
    return "jdk";
  }

  @Override
  public JsonNode get(String url) throws IOException {
    return call(request(url).GET().build());
  }

  @Override
  public JsonNode put(String url, JsonNode body) throws IOException {
    return call(request(url).PUT(BodyPublishers.ofByteArray(mapper.writeValueAsBytes(body)))
        .header("Content-Type", AssignrResilience.ASSIGNR_MEDIA_TYPE).build());
  }

  @Override
  public JsonNode post(String url, JsonNode body) throws IOException {
    HttpRequest.BodyPublisher publisher = body == null ? BodyPublishers.noBody()
        : BodyPublishers.ofByteArray(mapper.writeValueAsBytes(body));
    return call(request(url).POST(publisher).build());
  }

  @Override
  public void delete(String url) throws IOException {
    call(request(url).DELETE().build());
  }

  private HttpRequest.Builder request(String url) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url));
    // Without a static token the library's managed credentials add the Authorization header.
    return authorization == null ? builder : builder.header("Authorization", authorization);
  }

  private JsonNode call(HttpRequest request) throws IOException {
    HttpResponse<byte[]> response;
    try {
      // throwOnFailure(true): send() returns only successes; failures throw AssignrException.
      response = client.send(request, BodyHandlers.ofByteArray());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      InterruptedIOException x = new InterruptedIOException("interrupted");
      x.initCause(e);
      throw x;
    }
    byte[] bytes = response.body();
    return bytes == null || bytes.length == 0 ? mapper.nullNode() : mapper.readTree(bytes);
  }

  @Override
  public void close() {
    // Java 17's HttpClient has no close(); its threads are daemons. On 21+ this closes it.
    ((AssignrHttpClient) client).close();
  }
}
