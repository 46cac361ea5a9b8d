package app;

import com.assignr.resilience.AssignrResilience;
import com.assignr.resilience.feign.AssignrFeign;
import feign.Feign;
import feign.RequestLine;
import java.net.http.HttpClient;
import java.time.Duration;

public final class Main {
  public interface Assignr {
    @RequestLine("POST /sites/1/games")
    String createGame(String json);
  }

  public static void main(String[] args) throws Exception {
    AssignrResilience resilience = Settings.resilience();
    boolean okhttpResolved = ModuleLayer.boot().findModule("okhttp3").isPresent();
    try (LoopbackServer server = new LoopbackServer()) {
      HttpClient jdk = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
      Assignr api = Feign.builder()
          .addCapability(AssignrFeign.java11(jdk, resilience))
          .target(Assignr.class, server.url(""));
      System.out.println("feign-java11: " + api.createGame("{}") + " after " + server.requests()
          + " requests, okhttp3 resolved: " + okhttpResolved);
    }
  }
}
