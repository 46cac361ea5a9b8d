package com.assignr.resilience.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * OAuth 2.0 client credentials: {@code POST https://app.assignr.com/oauth/token} (a different host
 * from the API) with {@code grant_type=client_credentials}. The secret and the token never reach
 * an exception message or the console.
 */
final class ClientCredentials {
  private ClientCredentials() {}

  /** Returns the access token. */
  static String fetchToken(URI tokenUrl, String clientId, String clientSecret, String scope)
      throws IOException, InterruptedException {
    if (!"https".equalsIgnoreCase(tokenUrl.getScheme())) {
      throw new IOException("the token URL must be https: " + tokenUrl.getScheme() + "://" + tokenUrl.getHost());
    }
    Map<String, String> form = Map.of(
        "grant_type", "client_credentials",
        "client_id", clientId,
        "client_secret", clientSecret,
        "scope", scope);
    String body = form.entrySet().stream()
        .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
            + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    HttpResponse<String> response = client.send(HttpRequest.newBuilder(tokenUrl)
        .timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("Accept", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build(), HttpResponse.BodyHandlers.ofString());
    JsonNode json;
    try {
      json = new ObjectMapper().readTree(response.body());
    } catch (IOException e) {
      json = null;
    }
    if (response.statusCode() != 200 || json == null || !json.path("access_token").isTextual()) {
      String error = json == null ? "" : json.path("error").asText("");
      throw new IOException("token request to " + tokenUrl.getHost() + " failed: HTTP "
          + response.statusCode() + (error.isEmpty() ? "" : " (" + error + ")"));
    }
    return json.path("access_token").asText();
  }
}
