package com.assignr.resilience.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.assignr.resilience.testkit.ScriptedResponse;
import com.assignr.resilience.testkit.VirtualTime;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.reactive.function.client.WebClientResponseException;
import org.springframework.web.reactive.function.client.support.WebClientAdapter;
import org.springframework.web.service.annotation.GetExchange;
import org.springframework.web.service.annotation.HttpExchange;
import org.springframework.web.service.annotation.PostExchange;
import org.springframework.web.service.invoker.HttpServiceProxyFactory;
import reactor.core.publisher.Mono;

/**
 * An HTTP service client ({@code @HttpExchange} interface) backed by {@code WebClient}, built the
 * way Spring documents it without Boot ({@code HttpServiceProxyFactory} over a {@code
 * WebClientAdapter}); the filter sits on the {@code WebClient} and sees every call of the proxy.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HttpServiceClientTest extends WebClientTestBase {
  static final Duration BLOCK = Duration.ofSeconds(20);

  /** A slice of Assignr's API as a user would declare it. */
  @HttpExchange(accept = "application/vnd.assignr.v2.hal+json")
  interface AssignrApi {
    @GetExchange("/sites/{site}/games")
    Mono<String> games(@PathVariable("site") long site);

    @PostExchange(url = "/sites/{site}/games", contentType = "application/vnd.assignr.v2.hal+json")
    Mono<ResponseEntity<Void>> createGame(@PathVariable("site") long site, @RequestBody String game);

    @PostExchange("/assignments/{id}/confirm")
    Mono<ResponseEntity<Void>> confirm(@PathVariable("id") long id);
  }

  static AssignrApi api(Connector connector, AssignrExchangeFilterFunction filter) {
    return HttpServiceProxyFactory.builderFor(WebClientAdapter.create(client(connector, filter))).build()
        .createClient(AssignrApi.class);
  }

  @ParameterizedTest
  @EnumSource(Connector.class)
  void a_429_is_waited_out_until_the_reset(Connector connector) {
    VirtualTime vt = auto();
    AssignrApi api = api(connector, AssignrExchangeFilterFunction.create(config(vt).build()));
    sim.script().respond(ScriptedResponse.status(429).header("X-Ratelimit-Reset-Seconds-Remaining", "7"));

    String games = api.games(1).block(BLOCK);

    assertTrue(games.contains("\"games\""), games);
    assertEquals(List.of(429, 200), statuses("GET", GAMES));
    assertEquals(List.of(Duration.ofSeconds(8)), vt.scheduledDelays(), "7 s to the reset + 1 s margin");
  }

  @ParameterizedTest
  @EnumSource(Connector.class)
  void a_post_answered_500_reaches_the_server_once(Connector connector) {
    VirtualTime vt = auto();
    AssignrApi api = api(connector, AssignrExchangeFilterFunction.create(config(vt).build()));
    sim.script().next(1).respondStatus(500);

    assertThrows(WebClientResponseException.InternalServerError.class, () -> api.confirm(10011).block(BLOCK));

    assertEquals(List.of(500), statuses("POST", CONFIRM));
  }

  @ParameterizedTest
  @EnumSource(Connector.class)
  void a_post_answered_503_is_sent_again_and_creates_one_game(Connector connector) {
    VirtualTime vt = auto();
    AssignrApi api = api(connector, AssignrExchangeFilterFunction.create(config(vt).build()));
    int before = sim.gameCount(1);
    sim.script().serviceUnavailable(1);

    assertEquals(201, api.createGame(1, NEW_GAME).block(BLOCK).getStatusCode().value());

    assertEquals(List.of(503, 201), statuses("POST", GAMES));
    assertEquals(before + 1, sim.gameCount(1));
  }
}
