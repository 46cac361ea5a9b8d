package com.assignr.resilience.testkit;

import static com.assignr.resilience.testkit.Http.header;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(30)
class ApiEndpointsTest {

  @RegisterExtension
  static final AssignrSimulatorExtension SIM = AssignrSimulatorExtension.of(
      AssignrSimulator.builder().sites(4).gamesPerSite(120).unpaidSites(2L).forbiddenSites(3L)
          .rateLimits(java.util.List.of()));

  private static final ObjectMapper JSON = new ObjectMapper();
  private final Http http = Http.plain();

  private static JsonNode json(HttpResponse<String> response) {
    try {
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String url(String path) {
    return SIM.baseUrl() + path;
  }

  private static String firstGameOfSite1() {
    return url("/games/1001");
  }

  @Test
  void currentAccountAndSitesAreHalJson() {
    HttpResponse<String> account = http.get(url("/current_account"));
    assertEquals(200, account.statusCode());
    assertEquals("application/vnd.assignr.v2.hal+json; charset=utf-8",
        header(account, "Content-Type"));
    assertEquals(url("/current_account"), json(account).at("/_links/self/href").asText());

    JsonNode sites = json(http.get(url("/sites")));
    assertEquals(4, sites.at("/page/records").asInt());
    assertEquals(1, sites.at("/_embedded/sites/0/id").asInt());
    assertEquals(url("/sites/1/games"), sites.at("/_embedded/sites/0/_links/games/href").asText());
  }

  @Test
  void followingNextLinksVisitsEveryGameOnce() {
    Set<Long> ids = new LinkedHashSet<>();
    String next = url("/sites/1/games");
    int pages = 0;
    JsonNode page = null;
    while (next != null) {
      HttpResponse<String> response = http.get(next);
      assertEquals(200, response.statusCode());
      page = json(response);
      pages++;
      assertEquals(pages, page.at("/page/current_page").asInt());
      for (JsonNode game : page.at("/_embedded/games")) {
        assertTrue(ids.add(game.get("id").asLong()), "duplicate " + game.get("id"));
      }
      next = page.at("/_links/next").isMissingNode() ? null
          : page.at("/_links/next/href").asText();
    }
    assertEquals(5, pages, "120 games at the default 25 per page");
    assertEquals(120, ids.size());
    assertEquals(1001L, ids.iterator().next());
    assertEquals(120, page.at("/page/records").asInt());
    assertEquals(5, page.at("/page/pages").asInt());
    assertTrue(page.at("/page/next_page").isNull());
    assertEquals(4, page.at("/page/prev_page").asInt());
    assertEquals(25, page.at("/page/limit").asInt());
    assertEquals(url("/sites/1/games?page=4&limit=25"), page.at("/_links/prev/href").asText());
  }

  @Test
  void limitAboveFiftyIs422AndFiftyIsAllowed() {
    HttpResponse<String> tooBig = http.get(url("/sites/1/games?limit=51"));
    assertEquals(422, tooBig.statusCode());
    assertTrue(json(tooBig).at("/error/0/message").asText().contains("limit"));

    JsonNode fifty = json(http.get(url("/sites/1/games?limit=50&page=3")));
    assertEquals(3, fifty.at("/page/pages").asInt());
    assertEquals(20, fifty.at("/_embedded/games").size());
    assertEquals(422, http.get(url("/sites/1/games?page=zero")).statusCode());
  }

  @Test
  void putWithTheCurrentLockVersionSucceedsAndAStaleOneIs409() {
    HttpResponse<String> ok = http.put(firstGameOfSite1(),
        "{\"lock_version\":0,\"date\":\"2025-09-07\",\"start_time\":\"11:00\",\"venue\":\"Park\"}");
    assertEquals(200, ok.statusCode());
    assertEquals(1, json(ok).get("lock_version").asInt());
    assertEquals("Park", json(ok).get("venue").asText());
    assertEquals(1, SIM.simulator().lockVersion(1001));

    HttpResponse<String> stale = http.put(firstGameOfSite1(),
        "{\"game\":{\"lock_version\":0,\"date\":\"2025-09-07\",\"start_time\":\"12:00\"}}");
    assertEquals(409, stale.statusCode());
    assertTrue(json(stale).at("/error/0/message").asText().contains("stale"));
    assertEquals(1, SIM.simulator().lockVersion(1001));
  }

  @Test
  void putWithoutRequiredFieldsIs422AndMalformedJsonIs400() {
    HttpResponse<String> missing = http.put(firstGameOfSite1(),
        "{\"lock_version\":0,\"date\":\"2025-09-07\"}");
    assertEquals(422, missing.statusCode());
    assertEquals("start_time can't be blank", json(missing).at("/error/0/message").asText());
    assertEquals(422, http.put(firstGameOfSite1(),
        "{\"date\":\"2025-09-07\",\"start_time\":\"11:00\"}").statusCode(), "no lock_version");
    assertEquals(400, http.put(firstGameOfSite1(), "{\"lock_version\": 0,").statusCode());
    assertEquals(0, SIM.simulator().lockVersion(1001));
  }

  @Test
  void postCreatesDeleteRemovesAndConfirmAccepts() {
    HttpResponse<String> created = http.post(url("/sites/1/games"),
        "{\"game\":{\"date\":\"2025-10-01\",\"start_time\":\"09:30\",\"home_team\":\"A\"}}");
    assertEquals(201, created.statusCode());
    long id = json(created).get("id").asLong();
    assertEquals(url("/games/" + id), header(created, "Location"));
    assertEquals(121, SIM.simulator().gameCount(1));
    assertEquals(422, http.post(url("/sites/1/games"), "{\"home_team\":\"A\"}").statusCode());

    assertEquals(204, http.delete(url("/games/" + id)).statusCode());
    assertEquals(404, http.get(url("/games/" + id)).statusCode());

    HttpResponse<String> confirmed = http.post(url("/assignments/10011/confirm"), "");
    assertEquals(200, confirmed.statusCode());
    assertTrue(json(confirmed).get("accepted").asBoolean());
    assertTrue(json(confirmed).at("/_links/accept").isMissingNode());
    assertEquals(404, http.post(url("/assignments/99/confirm"), "").statusCode());
  }

  @Test
  void authenticationPaymentPermissionAndMissingResources() {
    HttpResponse<String> anonymous = http.send(
        HttpRequest.newBuilder(URI.create(url("/sites"))).GET().build());
    assertEquals(401, anonymous.statusCode());
    assertEquals(1, json(anonymous).get("error").size());
    assertEquals(401, http.send(http.request(url("/sites")).setHeader("Authorization", "Bearer ")
        .GET().build()).statusCode());

    assertEquals(402, http.get(url("/sites/2/games")).statusCode());
    assertEquals(403, http.get(url("/sites/3/games")).statusCode());
    assertEquals(403, http.get(url("/games/" + (1001 + 2 * 120))).statusCode(),
        "a game of the forbidden site");
    assertEquals(200, http.get(url("/sites/4/games")).statusCode());
    assertEquals(404, http.get(url("/sites/99/games")).statusCode());
    assertEquals(404, http.get(url("/games/1")).statusCode());
    assertEquals(404, http.get(url("/no_such_thing")).statusCode());
  }

  @Test
  void aConfiguredTokenIsTheOnlyOneAccepted() {
    try (AssignrSimulator sim = AssignrSimulator.builder().token(Http.TOKEN).start()) {
      assertEquals(200, http.get(sim.baseUrl() + "/sites").statusCode());
      assertEquals(401, http.send(http.request(sim.baseUrl() + "/sites")
          .setHeader("Authorization", "Bearer wrong").GET().build()).statusCode());
    }
  }

  @Test
  void seedDataIsDeterministic() {
    JsonNode game = json(http.get(firstGameOfSite1()));
    assertEquals("2025-09-06", game.get("date").asText());
    assertEquals("08:00", game.get("start_time").asText());
    assertEquals(0, game.get("lock_version").asInt());
    assertEquals(10011, game.at("/_embedded/assignments/0/id").asInt());
    assertFalse(game.at("/_embedded/assignments/0/accepted").asBoolean());
  }
}
