package com.assignr.resilience.testkit;

import static com.assignr.resilience.testkit.Http.header;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.http.trafficlistener.WiremockNetworkTrafficListener;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Faults after processing: the simulator acts on the request, then the client gets no answer
 * (close, reset) or half a body. Each case runs on a connection that already carried a fully
 * answered request, as in the replay hazard of a pooled keep-alive connection.
 */
@Timeout(30)
class FaultsAfterProcessingTest {

  static final MutableClock CLOCK = MutableClock.at("2025-09-06T10:00:00Z");
  static final AtomicInteger CONNECTIONS_OPENED = new AtomicInteger();

  @RegisterExtension
  static final AssignrSimulatorExtension SIM = AssignrSimulatorExtension.of(
      AssignrSimulator.builder().clock(CLOCK)
          .rateLimits(RateLimitRule.of(100, Duration.ofSeconds(60)))
          .wireMockOptions(o -> o.networkTrafficListener(new CountOpened())));

  static final String GAMES = "/api/v2/sites/1/games";
  static final String NEW_GAME = "{\"game\":{\"date\":\"2025-10-01\",\"start_time\":\"09:00\","
      + "\"home_team\":\"Hawks\",\"away_team\":\"Owls\"}}";

  private final Http http = Http.plain();

  private static String url(String path) {
    return "http://localhost:" + SIM.simulator().port() + path;
  }

  private HttpRequest post(String path) {
    return http.request(url(path)).header("Content-Type", AssignrSimulator.MEDIA_TYPE)
        .POST(HttpRequest.BodyPublishers.ofString(NEW_GAME)).build();
  }

  @Test
  void aPostProcessedThenClosedOnAReusedConnectionCreatesItsGameOnceAndSendsNoByte()
      throws IOException {
    SIM.script().on("POST", GAMES).next(1).processThenClose();
    try (RawConnection connection = RawConnection.open(SIM.simulator().port())) {
      connection.send("GET", GAMES + "?limit=1", null);
      RawConnection.Response first = connection.readResponse();
      assertEquals(200, first.status());
      assertTrue(first.text().contains("\"records\":120"), first.text());

      connection.send("POST", GAMES, NEW_GAME);
      assertEquals(0, connection.bytesUntilEnd(), "end of stream where the status line should be");
      assertEquals(2, connection.requestsSent());
    }
    assertEquals(121, SIM.simulator().gameCount(1), "the game was created");
    RequestJournal journal = SIM.journal();
    assertEquals(1, journal.count("POST", GAMES), "arrived once");
    assertEquals(1, journal.countProcessed("POST", GAMES), "processed once");
    JournalEntry dropped = journal.last().orElseThrow();
    assertEquals(Fault.EMPTY_RESPONSE, dropped.fault());
    assertEquals(0, dropped.status(), "nothing was sent");
    assertEquals(201, dropped.apiStatus(), "what the API decided");
    assertTrue(dropped.processed() && dropped.connectionFault() && dropped.scripted());
    JournalEntry answered = journal.entries().get(0);
    assertTrue(answered.processed() && !answered.connectionFault());
    assertEquals(1, SIM.simulator().stats().connectionFaults());
  }

  @Test
  void aPostProcessedThenResetOnAReusedConnectionGetsARstAndNoByte() throws IOException {
    try (RawConnection connection = RawConnection.open(SIM.simulator().port())) {
      connection.send("GET", "/api/v2/current_account", null);
      assertEquals(200, connection.readResponse().status());
      SIM.script().on("POST", GAMES).next(1).processThenReset();

      connection.send("POST", GAMES, NEW_GAME);
      SocketException reset = assertThrows(SocketException.class, connection::bytesUntilEnd);
      assertTrue(reset.getMessage().toLowerCase().contains("reset"), reset.getMessage());
    }
    assertEquals(121, SIM.simulator().gameCount(1));
    assertEquals(1, SIM.journal().count("POST", GAMES));
    JournalEntry dropped = SIM.journal().last().orElseThrow();
    assertEquals(Fault.CONNECTION_RESET_BY_PEER, dropped.fault());
    assertEquals(201, dropped.apiStatus());
    assertEquals(0, dropped.status());
  }

  @Test
  void theJdkClientFailsAPostOnItsPooledConnectionAndDoesNotReplayIt() {
    for (boolean reset : new boolean[] {false, true}) {
      SIM.simulator().reset();
      assertEquals(200, http.get(url(GAMES + "?limit=1")).statusCode());
      int opened = CONNECTIONS_OPENED.get();
      if (reset) {
        SIM.script().on("POST", GAMES).next(1).processThenReset();
      } else {
        SIM.script().on("POST", GAMES).next(1).processThenClose();
      }

      assertThrows(IOException.class, () -> http.sendOrThrow(post(GAMES)), "reset=" + reset);
      assertEquals(opened, CONNECTIONS_OPENED.get(), "the POST reused the GET's connection");
      assertEquals(1, SIM.journal().count("POST", GAMES), "sent exactly once, reset=" + reset);
      assertEquals(1, SIM.journal().countProcessed("POST", GAMES));
      assertEquals(121, SIM.simulator().gameCount(1));

      assertEquals(200, http.get(url(GAMES + "?limit=1")).statusCode(), "next call is fine");
      assertEquals(opened + 1, CONNECTIONS_OPENED.get(), "on a new connection");
    }
  }

  @Test
  void theJdkClientSilentlyReplaysAGetAndTheJournalCountsBothArrivals() {
    String game = "/api/v2/games/1001";
    assertEquals(200, http.get(url(GAMES + "?limit=1")).statusCode());
    SIM.script().on("GET", game).next(1).processThenReset();

    HttpResponse<String> r = http.get(url(game));

    assertEquals(200, r.statusCode(), "java.net.http resent the idempotent GET on its own");
    assertEquals(2, SIM.journal().count("GET", game), "the server received it twice");
    assertEquals(2, SIM.journal().countProcessed("GET", game));
    List<JournalEntry> arrivals = SIM.journal().entries("GET", game);
    assertEquals(Fault.CONNECTION_RESET_BY_PEER, arrivals.get(0).fault());
    assertEquals(200, arrivals.get(1).status());
  }

  @Test
  void everySecondPostIsResetAfterItsGameWasCreated() {
    SIM.script().on("POST", "/api/v2/sites/\\d+/games").everyNth(2).processThenReset();
    List<String> outcomes = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      try {
        outcomes.add(Integer.toString(http.sendOrThrow(post(GAMES)).statusCode()));
      } catch (IOException e) {
        outcomes.add("IOException");
      }
      assertEquals(200, http.get(url(GAMES + "?limit=1")).statusCode(), "GETs are not selected");
    }
    assertEquals(List.of("201", "IOException", "201", "IOException"), outcomes);
    assertEquals(124, SIM.simulator().gameCount(1), "all four were created");
    assertEquals(4, SIM.journal().count("POST", GAMES));
    assertEquals(4, SIM.journal().countProcessed("POST", GAMES));
    assertEquals(2, SIM.journal().filter(JournalEntry::connectionFault).size());
  }

  @Test
  void aBreakAfterProcessingCountsAgainstTheQuotaButAFaultBeforeDoesNot() {
    SIM.script().next(1).fault(Fault.CONNECTION_RESET_BY_PEER).next(1).processThenClose();
    assertThrows(IOException.class, () -> http.sendOrThrow(post(GAMES)));
    assertThrows(IOException.class, () -> http.sendOrThrow(post(GAMES)));
    HttpResponse<String> ok = http.get(url(GAMES + "?limit=1"));
    assertEquals("98", header(ok, "X-Ratelimit-Remaining"), "only the processed POST counted");
    assertEquals(List.of(false, true, true),
        SIM.journal().entries().stream().map(JournalEntry::processed).toList());
    assertEquals(121, SIM.simulator().gameCount(1));
    assertEquals(2, SIM.simulator().stats().connectionFaults());
  }

  @Test
  void aRefusalCanBeDroppedTooAndIsJournaledUnprocessed() {
    SIM.script().processThenClose(1);
    HttpRequest anonymous = HttpRequest.newBuilder(URI.create(url(GAMES)))
        .header("Content-Type", AssignrSimulator.MEDIA_TYPE)
        .POST(HttpRequest.BodyPublishers.ofString(NEW_GAME)).build();
    assertThrows(IOException.class, () -> http.sendOrThrow(anonymous));
    JournalEntry entry = SIM.journal().last().orElseThrow();
    assertFalse(entry.processed(), "the 401 was decided before the API model");
    assertEquals(0, entry.apiStatus());
    assertEquals(Fault.EMPTY_RESPONSE, entry.fault());
    assertEquals(120, SIM.simulator().gameCount(1));
  }

  @Test
  void aTruncatedBodyDeclaresTheWholeLengthSendsHalfAndCloses() throws IOException {
    String game = "/api/v2/games/1001";
    try (RawConnection connection = RawConnection.open(SIM.simulator().port())) {
      connection.send("GET", game, null);
      RawConnection.Response whole = connection.readResponse();
      assertEquals(200, whole.status());
      SIM.script().truncateBody(1);

      connection.send("GET", game, null, "Accept-Encoding: gzip");
      RawConnection.Response cut = connection.readHeadThenToEnd();

      assertEquals(200, cut.status(), "status and headers go out as the API decided");
      assertEquals(Integer.toString(whole.body().length), cut.header("Content-Length"));
      assertEquals(null, cut.header("Transfer-Encoding"), "not re-encoded by gzip");
      assertEquals(whole.body().length / 2, cut.body().length);
      assertArrayEquals(Arrays.copyOf(whole.body(), cut.body().length), cut.body());
    }
    JournalEntry entry = SIM.journal().last().orElseThrow();
    assertTrue(entry.bodyTruncated() && entry.connectionFault() && entry.processed());
    assertEquals(200, entry.status());
    assertEquals(null, entry.fault());
  }

  @Test
  void aTruncatedCreateStillCreatesAndTheJdkClientSeesAnIOException() {
    assertEquals(200, http.get(url(GAMES + "?limit=1")).statusCode());
    SIM.script().on("POST", GAMES).next(1).truncateBodyAt(10);
    IOException e = assertThrows(IOException.class, () -> http.sendOrThrow(post(GAMES)));
    assertEquals(121, SIM.simulator().gameCount(1));
    assertEquals(1, SIM.journal().count("POST", GAMES), "no replay: the headers had arrived " + e);
    assertEquals(201, SIM.journal().last().orElseThrow().status());
  }

  @Test
  void overTlsOnAReusedConnectionResetAndTruncationWorkTheSameWay() throws IOException {
    try (AssignrSimulator tls = AssignrSimulator.builder().clock(CLOCK).https(true).start()) {
      try (RawConnection connection = RawConnection.openTls(tls.httpsPort(), tls.sslContext())) {
        connection.send("GET", GAMES + "?limit=1", null);
        assertEquals(200, connection.readResponse().status());
        tls.script().processThenReset(1);
        connection.send("POST", GAMES, NEW_GAME);
        assertThrows(IOException.class, connection::bytesUntilEnd);
      }
      try (RawConnection connection = RawConnection.openTls(tls.httpsPort(), tls.sslContext())) {
        connection.send("GET", "/api/v2/games/1001", null);
        RawConnection.Response whole = connection.readResponse();
        tls.script().next(1).truncateBodyAt(7);
        connection.send("GET", "/api/v2/games/1001", null);
        RawConnection.Response cut = connection.readHeadThenToEnd();
        assertEquals(Integer.toString(whole.body().length), cut.header("Content-Length"));
        assertEquals(7, cut.body().length);
      }
      assertEquals(121, tls.gameCount(1));
      assertEquals(1, tls.journal().countProcessed("POST", GAMES));
      assertEquals("https", tls.journal().last().orElseThrow().scheme());
    }
  }

  /** Counts connections the embedded server accepts on its plain-HTTP port. */
  static final class CountOpened implements WiremockNetworkTrafficListener {
    @Override
    public void opened(Socket socket) {
      CONNECTIONS_OPENED.incrementAndGet();
    }

    @Override
    public void incoming(Socket socket, ByteBuffer bytes) {}

    @Override
    public void outgoing(Socket socket, ByteBuffer bytes) {}

    @Override
    public void closed(Socket socket) {}
  }
}
