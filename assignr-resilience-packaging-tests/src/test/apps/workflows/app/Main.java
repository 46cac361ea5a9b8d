package app;

import com.assignr.resilience.AssignrResilience;
import com.assignr.resilience.jdk.AssignrHttpClient;
import com.assignr.resilience.workflows.Page;
import com.assignr.resilience.workflows.PageCursor;
import com.assignr.resilience.workflows.PageSource;
import com.assignr.resilience.workflows.Paging;
import com.assignr.resilience.workflows.ReadModifyWrite;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.List;

public final class Main {
  public static void main(String[] args) throws Exception {
    try (LoopbackServer server = new LoopbackServer()) {
      AssignrResilience resilience = Settings.resilience().toBuilder().throwOnFailure(true).build();
      HttpClient client = AssignrHttpClient.wrap(HttpClient.newHttpClient(), resilience);
      PageSource<String> source = PageSource.of(url -> get(client, url), body -> Page.of(List.of(body), null));
      PageCursor<String> games = Paging.builder().timeSource(resilience.timeSource()).build()
          .start(server.url("/sites/1/games"), source);
      Page<String> page = games.nextPage();
      System.out.println("paging: " + page.records() + " after " + server.requests() + " requests, complete "
          + games.complete() + ", " + games.token().asString());
      ReadModifyWrite.Result<String, String> result = ReadModifyWrite.defaults().run(
          () -> get(client, server.url("/games/1")), fresh -> ReadModifyWrite.Edit.write(fresh + "!"), changed -> changed);
      System.out.println("read-modify-write: " + result.getClass().getSimpleName() + " in " + result.writes() + " write");
    }
  }

  private static String get(HttpClient client, String url) throws IOException {
    try {
      return client.send(HttpRequest.newBuilder(URI.create(url)).build(), BodyHandlers.ofString()).body();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted");
    }
  }
}
