package app;

import com.assignr.resilience.AssignrResilience;
import com.assignr.resilience.feign.AssignrFeign;
import feign.Feign;
import feign.RequestLine;
import okhttp3.OkHttpClient;

public final class Main {
  public interface Assignr {
    @RequestLine("POST /sites/1/games")
    String createGame(String json);
  }

  public static void main(String[] args) throws Exception {
    AssignrResilience resilience = Settings.resilience();
    boolean java11Resolved = ModuleLayer.boot().findModule("feign.java11").isPresent();
    try (LoopbackServer server = new LoopbackServer()) {
      OkHttpClient okhttp = new OkHttpClient();
      Assignr api = Feign.builder()
          .addCapability(AssignrFeign.okHttp(okhttp, resilience))
          .target(Assignr.class, server.url(""));
      System.out.println("feign-okhttp: " + api.createGame("{}") + " after " + server.requests()
          + " requests, feign.java11 resolved: " + java11Resolved);
      okhttp.dispatcher().executorService().shutdown();
      okhttp.connectionPool().evictAll();
    }
  }
}
