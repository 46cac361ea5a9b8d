package app;

import com.assignr.resilience.jdk.AssignrHttpClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;

public final class Main {
  public static void main(String[] args) throws Exception {
    try (LoopbackServer server = new LoopbackServer()) {
      HttpClient client = AssignrHttpClient.wrap(HttpClient.newHttpClient(), Settings.resilience());
      HttpRequest request = HttpRequest.newBuilder(URI.create(server.url("/sites/1/games"))).build();
      HttpResponse<String> sent = client.send(request, BodyHandlers.ofString());
      System.out.println("send: " + sent.statusCode() + " after " + server.requests() + " requests");
      HttpResponse<String> async = client.sendAsync(request, BodyHandlers.ofString()).get();
      System.out.println("sendAsync: " + async.statusCode() + " " + async.body());
    }
  }
}
