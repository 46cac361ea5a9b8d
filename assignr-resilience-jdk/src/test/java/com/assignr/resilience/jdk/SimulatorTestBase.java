package com.assignr.resilience.jdk;

import com.assignr.resilience.AssignrResilience;
import com.assignr.resilience.RetryListener;
import com.assignr.resilience.testkit.AssignrSimulator;
import com.assignr.resilience.testkit.VirtualTime;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * One simulator per test class on random ports, without rate-limit rules (tests script the
 * rate-limit answers they need), its clock following each test's {@link VirtualTime}.
 */
abstract class SimulatorTestBase {
  static final String GAMES = "/sites/1/games";
  static final String CONFIRM = "/assignments/1/confirm";
  static final RetryListener QUIET = new RetryListener() { };

  static SwitchableClock clock = new SwitchableClock();
  static AssignrSimulator sim;
  static HttpClient jdk;

  @BeforeAll
  static void startSimulator() {
    sim = AssignrSimulator.builder().clock(clock).rateLimits(List.of()).start();
    jdk = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  }

  @AfterAll
  static void stopSimulator() {
    sim.close();
  }

  @BeforeEach
  void resetSimulator() {
    sim.reset();
  }

  /** Virtual time the simulator's clock follows. */
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
    return AssignrResilience.builder().timeSource(vt).random(() -> 0.0)
        .allowInsecureLoopback(true).listener(QUIET);
  }

  static HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(sim.httpBaseUrl() + path))
        .header("Authorization", "Bearer test-token");
  }

  static HttpRequest get(String path) {
    return request(path).GET().build();
  }

  static HttpRequest post(String path, String json) {
    return request(path).POST(HttpRequest.BodyPublishers.ofString(json)).build();
  }

  static int served(String method, String path) {
    return sim.journal().count(method, "/api/v2" + path);
  }
}
