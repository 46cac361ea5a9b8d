package com.assignr.resilience.examples;

import com.assignr.resilience.AssignrResilience;
import com.assignr.resilience.okhttp.AssignrInterceptor;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.X509TrustManager;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * The job's calls over OkHttp: an ordinary {@link OkHttpClient} with {@link AssignrInterceptor}
 * added, which is all a team on OkHttp changes. Calls are synchronous ({@code execute()}) on the
 * job's worker threads; the interceptor's waits hold those threads, which is what a worker pool
 * wants.
 */
final class OkHttpApi implements AssignrApi {
  private static final MediaType JSON = MediaType.get(AssignrResilience.ASSIGNR_MEDIA_TYPE);

  private final OkHttpClient client;
  private final String authorization;
  private final ObjectMapper mapper;

  OkHttpApi(AssignrResilience resilience, String authorization, SSLContext ssl,
      X509TrustManager trust, ObjectMapper mapper) {
    OkHttpClient.Builder builder = new OkHttpClient.Builder()
        .connectTimeout(10, TimeUnit.SECONDS)
        .readTimeout(30, TimeUnit.SECONDS);
    if (ssl != null) builder.sslSocketFactory(ssl.getSocketFactory(), trust);
    this.client = AssignrInterceptor.configure(builder, resilience).build();
    this.authorization = authorization;
    this.mapper = mapper;
  }

  @Override
  public String name() {
    return "okhttp";
  }

  @Override
  public JsonNode get(String url) throws IOException {
    return call(request(url).get().build());
  }

  @Override
  public JsonNode put(String url, JsonNode body) throws IOException {
    return call(request(url).put(RequestBody.create(mapper.writeValueAsBytes(body), JSON)).build());
  }

  @Override
  public JsonNode post(String url, JsonNode body) throws IOException {
    byte[] bytes = body == null ? new byte[0] : mapper.writeValueAsBytes(body);
    return call(request(url).post(RequestBody.create(bytes, JSON)).build());
  }

  @Override
  public void delete(String url) throws IOException {
    call(request(url).delete().build());
  }

  private Request.Builder request(String url) {
    Request.Builder builder = new Request.Builder().url(url);
    // Without a static token the library's managed credentials add the Authorization header.
    return authorization == null ? builder : builder.header("Authorization", authorization);
  }

  private JsonNode call(Request request) throws IOException {
    // throwOnFailure(true): execute() returns only successes; failures throw AssignrException.
    try (Response response = client.newCall(request).execute()) {
      ResponseBody body = response.body();
      byte[] bytes = body == null ? new byte[0] : body.bytes();
      return bytes.length == 0 ? mapper.nullNode() : mapper.readTree(bytes);
    }
  }

  @Override
  public void close() {
    client.dispatcher().executorService().shutdown();
    client.connectionPool().evictAll();
  }
}
