package com.assignr.resilience;

import com.assignr.resilience.spi.CallOptions;
import com.assignr.resilience.spi.RateLimitGate;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.assignr.resilience.testing.CapturingLogger;
import com.assignr.resilience.testkit.VirtualTime;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Tokens and secrets never reach a log line, an exception message, a key or a toString. */
class CredentialHygieneTest {
  static final String TOKEN = "s3cr3t-access-token-4711";

  @Test
  void aLogged401AndEveryOtherPathContainNoToken() throws Exception {
    CapturingLogger logger = new CapturingLogger();
    VirtualTime time = VirtualTime.autoAdvancing();
    AssignrResilience resilience = AssignrResilience.builder().timeSource(time).random(() -> 0.0)
        .listener(Slf4jRetryListener.create(logger)).throwOnFailure(true).build();
    String authorization = "Bearer " + TOKEN;
    URI uri = URI.create("https://api.assignr.com/api/v2/current_account?access_token=" + TOKEN);
    RateLimitGate gate = resilience.gateFor(RequestInfo.of("GET", uri, true), authorization);
    CallOptions options = CallOptions.none().withCredentials(authorization);

    FakeResponse[] script = {
        FakeResponse.of(429, "X-Ratelimit-Reset-Seconds-Remaining", "2", "X-Ratelimit-Remaining", "0"),
        FakeResponse.of(503), FakeResponse.of(401)};
    int[] n = {0};
    UnauthorizedException e = assertThrows(UnauthorizedException.class, () -> resilience.executor().execute(
        RequestInfo.of("GET", uri, true), options, attempt -> script[n[0]++], FakeResponse.ADAPTER));

    List<String> everything = new ArrayList<>(logger.lines);
    everything.add(e.getMessage());
    everything.add(e.toString());
    everything.add(gate.quotaKey());
    everything.add(gate.toString());
    everything.add(resilience.toString());
    everything.add(e.details().toString());
    assertTrue(logger.lines.stream().anyMatch(l -> l.contains("429") || l.contains("RATE_LIMITED")), logger.lines.toString());
    assertTrue(logger.lines.stream().anyMatch(l -> l.startsWith("INFO") && l.contains("retrying")), logger.lines.toString());
    for (String line : everything) {
      assertFalse(line.contains(TOKEN), "leaked: " + line);
      assertFalse(line.contains("s3cr3t"), "leaked: " + line);
    }
  }

  @Test
  void plainHttpIsRefusedWithAMessageThatSaysWhy() {
    AssignrResilience resilience = AssignrResilience.defaults();
    InsecureRequestException e = assertThrows(InsecureRequestException.class,
        () -> resilience.checkSecure(req("POST", "http://api.assignr.com/api/v2/games")));
    assertTrue(e.getMessage().contains("turning a POST into a GET"), e.getMessage());
    assertThrows(InsecureRequestException.class, () -> resilience.checkSecure(req("GET", "http://localhost/")),
        "loopback too, unless allowed");
    AssignrResilience local = AssignrResilience.builder().allowInsecureLoopback(true).build();
    assertThrows(InsecureRequestException.class, () -> local.checkSecure(req("GET", "http://api.assignr.com/")));
    assertDoesNotThrow(() -> local.checkSecure(req("GET", "http://127.0.0.1/")));
    assertDoesNotThrow(() -> local.checkSecure(req("GET", "http://[::1]/")));
  }

  @Test
  void plainHttpToANameThatOnlyLooksLikeLoopbackIsRefusedEvenWhenLoopbackIsAllowed() {
    AssignrResilience local = AssignrResilience.builder().allowInsecureLoopback(true).build();
    for (String uri : List.of("http://127.attacker.example/api/v2/games", "http://127.0.0.1.evil/api/v2/games",
        "http://127.1/api/v2/games", "http://0x7f.0.0.1/api/v2/games", "http://localhost./api/v2/games",
        "http://[::ffff:127.0.0.1]/api/v2/games")) {
      InsecureRequestException e = assertThrows(InsecureRequestException.class,
          () -> local.checkSecure(req("POST", uri)), uri + " would go out in plain HTTP");
      assertTrue(e.getMessage().contains("POST"), e.getMessage());
    }
    assertDoesNotThrow(() -> local.checkSecure(req("POST", "http://LOCALHOST:8080/api/v2/games")));
    assertDoesNotThrow(() -> local.checkSecure(req("POST", "http://127.8.9.10/api/v2/games")));
    assertDoesNotThrow(() -> local.checkSecure(req("POST", "http://[0:0:0:0:0:0:0:1]/api/v2/games")));
  }

  private static RequestInfo req(String method, String uri) {
    return RequestInfo.of(method, URI.create(uri), true);
  }

  private static void assertDoesNotThrow(org.junit.jupiter.api.function.Executable e) {
    org.junit.jupiter.api.Assertions.assertDoesNotThrow(e);
  }
}
