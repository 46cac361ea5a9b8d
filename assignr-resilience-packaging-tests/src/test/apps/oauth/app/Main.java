package app;

import com.assignr.resilience.AssignrResilience;
import com.assignr.resilience.oauth.AssignrOAuth;
import com.assignr.resilience.oauth.Credentials;
import com.assignr.resilience.oauth.TokenTransport;
import com.assignr.resilience.okhttp.AssignrInterceptor;
import com.assignr.resilience.okhttp.OkHttpTokenTransport;
import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/** A token endpoint and an API on loopback; the API answers 200 only to the token it issued. */
public final class Main {
  public static void main(String[] args) throws Exception {
    AtomicInteger tokens = new AtomicInteger();
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/oauth/token", exchange -> {
      byte[] body = ("{\"access_token\":\"t" + tokens.incrementAndGet() + "\",\"token_type\":\"Bearer\","
          + "\"expires_in\":7200}").getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.createContext("/api", exchange -> {
      String auth = exchange.getRequestHeaders().getFirst("Authorization");
      exchange.sendResponseHeaders(auth != null && auth.matches("Bearer t\\d+") ? 200 : 401, -1);
      exchange.close();
    });
    server.start();
    String base = "http://127.0.0.1:" + server.getAddress().getPort();
    OkHttpClient okhttp = new OkHttpClient();
    try {
      for (TokenTransport transport : new TokenTransport[] {null, OkHttpTokenTransport.of(okhttp)}) {
        AssignrOAuth.Builder oauth = AssignrOAuth.builder().clientId("club-42").clientSecret("s3cret")
            .tokenUri(URI.create(base + "/oauth/token")).allowInsecureLoopback(true);
        Credentials credentials = (transport == null ? oauth : oauth.transport(transport)).build();
        AssignrResilience resilience = AssignrResilience.builder().allowInsecureLoopback(true)
            .credentials(credentials).build();
        OkHttpClient client = okhttp.newBuilder().addInterceptor(AssignrInterceptor.create(resilience)).build();
        try (Response response = client.newCall(new Request.Builder().url(base + "/api/games").build()).execute()) {
          System.out.println((transport == null ? "java.net.http" : "okhttp") + " transport: " + response.code()
              + " with a managed token");
        }
      }
    } finally {
      okhttp.dispatcher().executorService().shutdown();
      server.stop(0);
    }
  }
}
