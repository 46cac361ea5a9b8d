package app;

import com.assignr.resilience.AssignrResilience;
import com.assignr.resilience.jdk.AssignrHttpClient;
import com.assignr.resilience.testkit.AssignrSimulator;
import com.assignr.resilience.testkit.RateLimitRule;
import com.assignr.resilience.testkit.VirtualTime;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;

public final class Main {
  public static void main(String[] args) throws Exception {
    VirtualTime time = VirtualTime.autoAdvancing();
    try (AssignrSimulator sim = AssignrSimulator.builder()
        .clock(time.clock())
        .rateLimits(RateLimitRule.of(5, Duration.ofMinutes(1)))
        .start()) {
      HttpClient client = AssignrHttpClient.wrap(HttpClient.newHttpClient(),
          AssignrResilience.builder().timeSource(time).allowInsecureLoopback(true).build());
      int ok = 0;
      for (int i = 0; i < 12; i++) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/sites/1/games"))
            .header("Authorization", "Bearer test").build();
        if (client.send(request, BodyHandlers.ofString()).statusCode() == 200) ok++;
      }
      System.out.println("simulator: " + ok + " x 200, " + sim.journal().countStatus(429)
          + " x 429, virtual minutes " + time.elapsed().toMinutes());
    }
  }
}
