package com.assignr.resilience.spring;

import com.assignr.resilience.AssignrResilience;
import com.assignr.resilience.RetryListener;
import com.assignr.resilience.testkit.AssignrSimulator;
import com.assignr.resilience.testkit.JournalEntry;
import com.assignr.resilience.testkit.VirtualTime;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.http.HttpHeaders;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * One simulator per test class on a random port, plain HTTP on loopback (allowed by the
 * configuration), without rate-limit rules (the tests script the answers they need); its clock
 * follows each test's {@link VirtualTime}. What reached it is read from its journal.
 */
abstract class WebClientTestBase {
  static final String GAMES = "/sites/1/games";
  static final String CONFIRM = "/assignments/10011/confirm";
  static final String TOKEN = "Bearer test-token";
  static final String NEW_GAME = "{\"game\":{\"date\":\"2026-12-01\",\"start_time\":\"09:00\","
      + "\"home_team\":\"Hawks\",\"away_team\":\"Owls\"}}";
  static final SwitchableClock clock = new SwitchableClock();
  static AssignrSimulator sim;

  @BeforeAll
  static void startSimulator() {
    sim = AssignrSimulator.builder().clock(clock).rateLimits(List.of()).start();
  }

  @AfterAll
  static void stopSimulator() {
    sim.close();
  }

  @BeforeEach
  void resetSimulator() {
    sim.reset();
  }

  static VirtualTime auto() {
    VirtualTime vt = VirtualTime.autoAdvancing();
    clock.use(vt.clock());
    return vt;
  }

  static VirtualTime manual() {
    VirtualTime vt = VirtualTime.manual();
    clock.use(vt.clock());
    return vt;
  }

  /** Defaults on virtual time, jitter pinned at its minimum, plain HTTP to the local simulator. */
  static AssignrResilience.Builder config(VirtualTime vt) {
    return AssignrResilience.builder().timeSource(vt).random(() -> 0.0).allowInsecureLoopback(true)
        .listener(RetryListener.NONE);
  }

  /** A WebClient on {@code connector} with the filter (then {@code after}, if any), as a user builds one. */
  static WebClient client(Connector connector, ExchangeFilterFunction filter, ExchangeFilterFunction... after) {
    WebClient.Builder b = WebClient.builder().clientConnector(connector.create()).baseUrl(sim.httpBaseUrl())
        .defaultHeader(HttpHeaders.AUTHORIZATION, TOKEN).filter(filter);
    for (ExchangeFilterFunction f : after) b.filter(f);
    return b.build();
  }

  static List<JournalEntry> arrivals(String method, String path) {
    return sim.journal().entries(method, "/api/v2" + path);
  }

  static List<Integer> statuses(String method, String path) {
    return arrivals(method, path).stream().map(JournalEntry::status).toList();
  }
}
