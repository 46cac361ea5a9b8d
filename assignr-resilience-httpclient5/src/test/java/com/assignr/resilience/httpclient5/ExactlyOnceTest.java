package com.assignr.resilience.httpclient5;

import static com.assignr.resilience.httpclient5.Hc5Harness.GAMES;
import static com.assignr.resilience.httpclient5.Hc5Harness.NEW_GAME;
import static com.assignr.resilience.httpclient5.Hc5Harness.RESET_SECONDS;
import static com.assignr.resilience.httpclient5.Hc5Harness.TOKEN;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.assignr.resilience.AssignrException;
import com.assignr.resilience.AssignrResilience;
import com.assignr.resilience.testkit.AssignrSimulator;
import com.assignr.resilience.testkit.JournalEntry;
import com.assignr.resilience.testkit.ScriptedResponse;
import com.assignr.resilience.testkit.VirtualTime;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntSupplier;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.RequestEntity;
import org.springframework.http.client.HttpComponentsClientHttpRequestFactory;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientResponseException;
import org.springframework.web.client.RestTemplate;

/**
 * The exactly-once table of issue 19 on HttpClient 5, direct and under Spring's {@code RestClient}
 * and {@code RestTemplate} over {@code HttpComponentsClientHttpRequestFactory}, every client built
 * with {@link AssignrHttpClient5#configure} and nothing else of the library's: arrivals counted in
 * the simulator's journal. Each scenario first pools a connection with a GET, so the request goes
 * out on a reused keep-alive connection. The rows are written to {@code
 * target/exactly-once/httpclient5.md} for RELIABILITY.md.
 */
@Timeout(60)
class ExactlyOnceTest {
  @RegisterExtension
  static final Hc5Harness h = new Hc5Harness();

  private static final List<String> ROWS = new ArrayList<>();
  private static final MediaType ASSIGNR = MediaType.parseMediaType(AssignrResilience.ASSIGNR_MEDIA_TYPE);

  /** How a caller reaches Assignr through the configured client. */
  enum Route {
    HC5_DIRECT("HttpClient 5, AssignrHttpClient5.configure"),
    SPRING_REST_CLIENT("Spring RestClient on HttpComponentsClientHttpRequestFactory(configured client)"),
    SPRING_REST_TEMPLATE("Spring RestTemplate on HttpComponentsClientHttpRequestFactory(configured client)");

    final String label;

    Route(String label) {
      this.label = label;
    }

    /** Sends {@code method} (GET, or POST with a new game) and returns the status, or throws. */
    int send(CloseableHttpClient client, String method, URI uri) throws IOException {
      boolean post = method.equals("POST");
      switch (this) {
        case HC5_DIRECT -> {
          if (post) {
            HttpPost request = new HttpPost(uri);
            request.setHeader("Authorization", TOKEN);
            request.setEntity(new StringEntity(NEW_GAME, Hc5Harness.ASSIGNR));
            return Hc5Harness.status(client, request);
          }
          HttpGet request = new HttpGet(uri);
          request.setHeader("Authorization", TOKEN);
          return Hc5Harness.status(client, request);
        }
        case SPRING_REST_CLIENT -> {
          RestClient rest = RestClient.builder()
              .requestFactory(new HttpComponentsClientHttpRequestFactory(client))
              .defaultHeader(HttpHeaders.AUTHORIZATION, TOKEN)
              .build();
          return spring(() -> (post
              ? rest.post().uri(uri).contentType(ASSIGNR).body(NEW_GAME).retrieve().toBodilessEntity()
              : rest.get().uri(uri).retrieve().toBodilessEntity()).getStatusCode().value());
        }
        default -> {
          RestTemplate template = new RestTemplate(new HttpComponentsClientHttpRequestFactory(client));
          RequestEntity<?> request = post
              ? RequestEntity.post(uri).header(HttpHeaders.AUTHORIZATION, TOKEN).contentType(ASSIGNR).body(NEW_GAME)
              : RequestEntity.get(uri).header(HttpHeaders.AUTHORIZATION, TOKEN).build();
          return spring(() -> template.exchange(request, String.class).getStatusCode().value());
        }
      }
    }

    /** The status Spring answered with or threw (RestClientResponseException for 4xx/5xx). */
    private static int spring(IntSupplier call) {
      try {
        return call.getAsInt();
      } catch (RestClientResponseException e) {
        return e.getStatusCode().value();
      }
    }
  }

  /** One request and what it meets, with the arrivals the rules allow. */
  enum Scenario {
    GET_429("GET, 429 (reset 3 s)", "GET", "200") {
      @Override void script(AssignrSimulator sim) {
        sim.script().on("GET", GAMES).next(1).respond(ScriptedResponse.status(429).header(RESET_SECONDS, "3"));
      }
    },
    POST_503_THROUGHOUT("POST, 503 until the library gives up", "POST", "503") {
      @Override void script(AssignrSimulator sim) {
        sim.script().on("POST", GAMES).always().respondStatus(503);
      }
    },
    POST_500("POST, 500", "POST", "500") {
      @Override void script(AssignrSimulator sim) {
        sim.script().on("POST", GAMES).next(1).respondStatus(500);
      }
    },
    POST_ANSWER_LOST_CLOSE("POST, processed, answer lost (close)", "POST", "failed") {
      @Override void script(AssignrSimulator sim) {
        sim.script().on("POST", GAMES).next(1).processThenClose();
      }
    },
    POST_ANSWER_LOST_RESET("POST, processed, answer lost (reset)", "POST", "failed") {
      @Override void script(AssignrSimulator sim) {
        sim.script().on("POST", GAMES).next(1).processThenReset();
      }
    };

    final String label;
    final String method;
    final String expected;

    Scenario(String label, String method, String expected) {
      this.label = label;
      this.method = method;
      this.expected = expected;
    }

    abstract void script(AssignrSimulator sim);
  }

  static List<Arguments> cases() {
    List<Arguments> cases = new ArrayList<>();
    for (Route route : Route.values()) {
      for (Scenario scenario : Scenario.values()) cases.add(Arguments.of(route, scenario));
    }
    return cases;
  }

  @ParameterizedTest(name = "{0} / {1}")
  @MethodSource("cases")
  void arrivalsAreWhatTheRulesAllow(Route route, Scenario scenario) throws Exception {
    VirtualTime time = VirtualTime.autoAdvancing();
    CloseableHttpClient client = h.configured(h.resilience(time).build());
    URI games = URI.create(h.at(GAMES));
    assertEquals(200, route.send(client, "GET", URI.create(h.url("/current_account"))), "the warm-up GET");
    int gamesBefore = h.sim().gameCount(1);
    int attemptsBefore = h.attempts();
    scenario.script(h.sim());

    String got;
    String detail;
    try {
      int status = route.send(client, scenario.method, games);
      got = Integer.toString(status);
      detail = "HTTP " + status;
    } catch (IOException | RuntimeException e) {
      got = "failed";
      detail = describe(e);
    }
    String outcome = got;

    List<JournalEntry> arrivals = h.sim().journal().entries(scenario.method, GAMES);
    if (arrivals.size() == 2) {
      detail += ", second arrival " + Duration.between(arrivals.get(0).arrivedAt(), arrivals.get(1).arrivedAt())
          .toMillis() + " ms after the first";
    }
    int attempts = h.attempts() - attemptsBefore;
    int created = h.sim().gameCount(1) - gamesBefore;
    record(route, scenario, arrivals.size(), attempts, created, got, detail);
    String seen = route + " / " + scenario + ": " + arrivals.size() + " arrivals, " + attempts
        + " attempts, " + created + " created, " + detail;
    switch (scenario) {
      case GET_429 -> assertAll(seen,
          () -> assertEquals(2, arrivals.size(), "arrivals"),
          () -> assertTrue(!Duration.between(arrivals.get(0).arrivedAt(), arrivals.get(1).arrivedAt())
              .minusSeconds(3).isNegative(), "the second arrival is after the reset"),
          () -> assertEquals(scenario.expected, outcome));
      case POST_503_THROUGHOUT -> assertAll(seen,
          () -> assertEquals(5, attempts, "the library's attempts (the default maxAttempts)"),
          () -> assertEquals(attempts, arrivals.size(), "arrivals equal the library's attempts"),
          () -> assertEquals(scenario.expected, outcome));
      default -> assertAll(seen,
          () -> assertEquals(1, arrivals.size(), "arrivals"),
          () -> assertEquals(1, attempts, "attempts"),
          () -> assertEquals(scenario == Scenario.POST_500 ? 0 : 1, created, "games created"),
          () -> assertEquals(scenario.expected, outcome));
    }
  }

  /** The exception as a caller meets it: its type, and the causes' types down to ours. */
  static String describe(Throwable e) {
    StringBuilder s = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (s.length() > 0) s.append(" < ");
      s.append(t.getClass().getSimpleName());
      if (t instanceof AssignrException a) {
        s.append(" (").append(a.stopReason()).append(", ").append(a.attempts()).append(" attempt")
            .append(a.attempts() == 1 ? "" : "s").append(')');
        break;
      }
    }
    return s.toString();
  }

  private static synchronized void record(Route route, Scenario scenario, int arrivals, int attempts,
      int created, String outcome, String detail) {
    ROWS.add("| " + route.label + " | " + scenario.label + " | " + arrivals + " | " + attempts + " | "
        + created + " | " + outcome + " | " + detail + " |");
  }

  @AfterAll
  static void writeRows() {
    try {
      Path dir = Path.of("target", "exactly-once");
      Files.createDirectories(dir);
      List<String> lines = new ArrayList<>();
      lines.add("| route | scenario | arrivals | library attempts | games created | caller got | detail |");
      lines.add("|---|---|---|---|---|---|---|");
      lines.addAll(ROWS);
      Files.write(dir.resolve("httpclient5-" + HttpClient5VersionTest.runtimeVersion() + "-spring-"
          + org.springframework.core.SpringVersion.getVersion() + ".md"), lines);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
