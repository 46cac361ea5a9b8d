package com.assignr.resilience.testkit.internal;

import com.assignr.resilience.testkit.GameWrite;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The account behind the simulated API: sites, their games and each game's assignments, and the
 * endpoint rules (HAL+JSON shapes, pagination, optimistic locking, validation, payment/permission
 * flags). Seed data is deterministic: sites 1..S named "Site s"; games numbered from 1001 in site
 * order, dated from 2025-09-06 (eight per day, hourly from 08:00); assignments {@code gameId*10+1}
 * (Referee) and {@code gameId*10+2} (Assistant Referee), unanswered.
 *
 * <p>Order of checks for a request: malformed JSON body (400), unknown route or id (404), unpaid
 * site (402), forbidden site (403), validation (422), stale {@code lock_version} (409) — as in a
 * Rails app, validation runs before the optimistic-lock check.
 */
public final class SimulatedAccount {

  /** A response from the API model; {@code body} is null for 204. */
  public record ApiResponse(int status, JsonNode body, Map<String, String> headers) {}

  static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_LIMIT = 50;
  private static final LocalDate FIRST_DAY = LocalDate.of(2025, 9, 6);
  private static final long FIRST_GAME_ID = 1001;

  private static final class Site {
    final long id;
    final String name;

    Site(long id) {
      this.id = id;
      this.name = "Site " + id;
    }
  }

  private static final class Assignment {
    final long id;
    final long gameId;
    final String position;
    boolean accepted;
    long lockVersion;

    Assignment(long id, long gameId, String position) {
      this.id = id;
      this.gameId = gameId;
      this.position = position;
    }
  }

  private static final class Game {
    final long id;
    final long siteId;
    long lockVersion;
    ObjectNode attributes;
    final List<Assignment> assignments = new ArrayList<>();

    Game(long id, long siteId, ObjectNode attributes) {
      this.id = id;
      this.siteId = siteId;
      this.attributes = attributes;
    }
  }

  private final int siteCount;
  private final int gamesPerSite;
  private final Set<Long> unpaidSites;
  private final Set<Long> forbiddenSites;
  private final int defaultLimit;
  private final TreeMap<Long, Site> sites = new TreeMap<>();
  private final TreeMap<Long, Game> games = new TreeMap<>();
  private final TreeMap<Long, Assignment> assignments = new TreeMap<>();
  private long nextGameId;
  /** Competing edits still due per game: after each read of the game, one is applied. */
  private final Map<Long, Integer> competingEdits = new HashMap<>();
  private final Map<Long, Integer> competingEditsDone = new HashMap<>();
  private final List<GameWrite> gameWrites = new ArrayList<>();

  public SimulatedAccount(int siteCount, int gamesPerSite, Set<Long> unpaidSites,
      Set<Long> forbiddenSites, int defaultLimit) {
    this.siteCount = siteCount;
    this.gamesPerSite = gamesPerSite;
    this.unpaidSites = Set.copyOf(unpaidSites);
    this.forbiddenSites = Set.copyOf(forbiddenSites);
    this.defaultLimit = defaultLimit;
    reset();
  }

  /** Restores the seed data. */
  public synchronized void reset() {
    sites.clear();
    games.clear();
    assignments.clear();
    competingEdits.clear();
    competingEditsDone.clear();
    gameWrites.clear();
    nextGameId = FIRST_GAME_ID;
    int index = 0;
    for (long s = 1; s <= siteCount; s++) {
      sites.put(s, new Site(s));
      for (int g = 0; g < gamesPerSite; g++, index++) {
        ObjectNode attrs = JSON.createObjectNode();
        attrs.put("date", FIRST_DAY.plusDays(index / 8).toString());
        attrs.put("start_time", LocalTime.of(8 + index % 8, 0).toString());
        attrs.put("home_team", "Home " + (index + 1));
        attrs.put("away_team", "Away " + (index + 1));
        attrs.put("venue", "Field " + (index % 4 + 1));
        attrs.put("age_group", "U" + (10 + 2 * (index % 5)));
        newGame(s, attrs);
      }
    }
  }

  private Game newGame(long siteId, ObjectNode attrs) {
    Game game = new Game(nextGameId++, siteId, attrs);
    game.assignments.add(new Assignment(game.id * 10 + 1, game.id, "Referee"));
    game.assignments.add(new Assignment(game.id * 10 + 2, game.id, "Assistant Referee"));
    games.put(game.id, game);
    game.assignments.forEach(a -> assignments.put(a.id, a));
    return game;
  }

  /** Current lock_version of a game, or -1 if it does not exist. For tests. */
  public synchronized long lockVersion(long gameId) {
    Game game = games.get(gameId);
    return game == null ? -1 : game.lockVersion;
  }

  /** A game's attribute as text (e.g. {@code venue}), or null. For tests. */
  public synchronized String gameAttribute(long gameId, String name) {
    Game game = games.get(gameId);
    JsonNode value = game == null ? null : game.attributes.get(name);
    return value == null || value.isNull() ? null : value.asText();
  }

  /**
   * Another user edits game {@code gameId} right after each of its next {@code reads} reads (GET
   * /games/{id}): the reader's copy is then stale, so its next write gets 409. Edit k sets the
   * game's {@code notes} to "Edited by another user (k)" and bumps its {@code lock_version}.
   */
  public synchronized void competingEditor(long gameId, int reads) {
    competingEdits.merge(gameId, reads, Integer::sum);
  }

  /** The writes the model processed, in order. For tests. */
  public synchronized List<GameWrite> gameWrites() {
    return List.copyOf(gameWrites);
  }

  /** Number of games now in a site. For tests. */
  public synchronized int gameCount(long siteId) {
    return (int) games.values().stream().filter(g -> g.siteId == siteId).count();
  }

  /**
   * Serves one authenticated, admitted request.
   *
   * @param method HTTP method
   * @param path path below {@code /api/v2}, e.g. {@code /sites/1/games}
   * @param query query parameter lookup, null when absent
   * @param body request body
   * @param base absolute API base for links, e.g. {@code https://localhost:8443/api/v2}
   */
  public synchronized ApiResponse handle(String method, String path,
      Function<String, String> query, byte[] body, String base) {
    String[] seg = path.isEmpty() || path.equals("/") ? new String[0]
        : path.substring(1).split("/", -1);
    ObjectNode json = null;
    if ((method.equals("PUT") || method.equals("POST")) && body != null && body.length > 0) {
      try {
        JsonNode parsed = JSON.readTree(body);
        if (!(parsed instanceof ObjectNode)) {
          return error(400, "Request body must be a JSON object");
        }
        json = (ObjectNode) parsed;
      } catch (IOException e) {
        return error(400, "Malformed JSON in request body");
      }
    }
    if (json == null) {
      json = JSON.createObjectNode();
    }
    Route route = Route.of(method, seg);
    switch (route) {
      case CURRENT_ACCOUNT:
        return ok(currentAccount(base));
      case SITES:
        return page(query, base, "/sites", "sites", List.copyOf(sites.values()), s -> siteJson(s, base));
      case SITE: {
        Site site = sites.get(id(seg[1]));
        if (site == null) {
          return notFound("Site");
        }
        ApiResponse denied = siteDenied(site.id);
        return denied != null ? denied : ok(siteJson(site, base));
      }
      case SITE_GAMES:
      case SITE_GAMES_CREATE: {
        Site site = sites.get(id(seg[1]));
        if (site == null) {
          return notFound("Site");
        }
        ApiResponse denied = siteDenied(site.id);
        if (denied != null) {
          return denied;
        }
        if (route == Route.SITE_GAMES) {
          return page(query, base, "/sites/" + site.id + "/games", "games",
              games.values().stream().filter(g -> g.siteId == site.id).toList(), g -> gameJson(g, base));
        }
        ObjectNode attrs = attributes(json, "game");
        String invalid = validateGame(attrs);
        if (invalid != null) {
          return error(422, invalid);
        }
        Game game = newGame(site.id, attrs);
        return new ApiResponse(201, gameJson(game, base),
            Map.of("Location", base + "/games/" + game.id));
      }
      case GAME:
      case GAME_UPDATE:
      case GAME_DELETE: {
        Game game = games.get(id(seg[1]));
        if (game == null) {
          return notFound("Game");
        }
        ApiResponse denied = siteDenied(game.siteId);
        if (denied != null) {
          return denied;
        }
        if (route == Route.GAME) {
          ApiResponse read = ok(gameJson(game, base));
          competingEdit(game);
          return read;
        }
        if (route == Route.GAME_DELETE) {
          games.remove(game.id);
          game.assignments.forEach(a -> assignments.remove(a.id));
          return new ApiResponse(204, null, Map.of());
        }
        return updateGame(game, json, base);
      }
      case ASSIGNMENT:
      case ASSIGNMENT_CONFIRM: {
        Assignment assignment = assignments.get(id(seg[1]));
        if (assignment == null) {
          return notFound("Assignment");
        }
        ApiResponse denied = siteDenied(games.get(assignment.gameId).siteId);
        if (denied != null) {
          return denied;
        }
        if (route == Route.ASSIGNMENT_CONFIRM && !assignment.accepted) {
          assignment.accepted = true;
          assignment.lockVersion++;
        }
        return ok(assignmentJson(assignment, base));
      }
      case UNKNOWN:
      default:
        return error(404, "No route matches " + method + " /api/v2" + path);
    }
  }

  /** The other user's edit, if one is due after this read: the copy just served is now stale. */
  private void competingEdit(Game game) {
    Integer due = competingEdits.get(game.id);
    if (due == null || due <= 0) {
      return;
    }
    competingEdits.put(game.id, due - 1);
    int k = competingEditsDone.merge(game.id, 1, Integer::sum);
    ObjectNode merged = game.attributes.deepCopy();
    merged.put("notes", "Edited by another user (" + k + ")");
    game.attributes = merged;
    game.lockVersion++;
  }

  private ApiResponse updateGame(Game game, ObjectNode json, String base) {
    ApiResponse answer = updateGameUnlogged(game, json, base);
    JsonNode sent = attributes(json, "game").get("lock_version");
    if (sent == null || sent.isNull()) {
      sent = json.get("lock_version");
    }
    long current = game.lockVersion - (answer.status() == 200 ? 1 : 0);
    gameWrites.add(new GameWrite(game.id, sent == null ? -1 : sent.asLong(-1),
        current, answer.status()));
    return answer;
  }

  private ApiResponse updateGameUnlogged(Game game, ObjectNode json, String base) {
    ObjectNode attrs = attributes(json, "game");
    JsonNode lock = attrs.remove("lock_version");
    if (lock == null || lock.isNull()) {
      lock = json.get("lock_version");
    }
    if (lock == null || lock.isNull()) {
      return error(422, "lock_version can't be blank");
    }
    long sent;
    try {
      if (lock.isIntegralNumber() && lock.canConvertToLong()) {
        sent = lock.longValue();
      } else if (lock.isTextual()) {
        sent = Long.parseLong(lock.textValue().trim());
      } else {
        return error(422, "lock_version must be an integer");
      }
    } catch (NumberFormatException e) {
      return error(422, "lock_version must be an integer");
    }
    String invalid = validateGame(attrs);
    if (invalid != null) {
      return error(422, invalid);
    }
    if (sent != game.lockVersion) {
      return error(409, "Attempted to update a stale object: Game " + game.id
          + " (lock_version " + sent + " is not the current " + game.lockVersion + ")");
    }
    ObjectNode merged = game.attributes.deepCopy();
    merged.setAll(attrs);
    game.attributes = merged;
    game.lockVersion++;
    return ok(gameJson(game, base));
  }

  private static ObjectNode attributes(ObjectNode json, String wrapper) {
    JsonNode inner = json.get(wrapper);
    ObjectNode attrs = (inner instanceof ObjectNode o ? o : json).deepCopy();
    for (String reserved : List.of("id", "_links", "_embedded", wrapper)) {
      attrs.remove(reserved);
    }
    return attrs;
  }

  private static String validateGame(ObjectNode attrs) {
    List<String> problems = new ArrayList<>();
    for (String field : List.of("date", "start_time")) {
      JsonNode v = attrs.get(field);
      if (v == null || v.isNull() || v.asText().isBlank()) {
        problems.add(field + " can't be blank");
      }
    }
    return problems.isEmpty() ? null : String.join(", ", problems);
  }

  private ApiResponse siteDenied(long siteId) {
    if (unpaidSites.contains(siteId)) {
      return error(402, "Site " + siteId + " does not have an active subscription");
    }
    if (forbiddenSites.contains(siteId)) {
      return error(403, "You are not authorized to access site " + siteId);
    }
    return null;
  }

  /** One page of {@code all}; only the records on it are turned into JSON (syncs of thousands stay cheap). */
  private <T> ApiResponse page(Function<String, String> query, String base, String path, String key,
      List<T> all, Function<T, ObjectNode> json) {
    long page;
    long limit;
    try {
      page = param(query, "page", 1);
      limit = param(query, "limit", defaultLimit);
    } catch (NumberFormatException e) {
      return error(422, e.getMessage());
    }
    if (page < 1) {
      return error(422, "page must be at least 1");
    }
    if (limit < 1 || limit > MAX_LIMIT) {
      return error(422, "limit must be between 1 and " + MAX_LIMIT + ", was " + limit);
    }
    int records = all.size();
    long pages = Math.max(1, (records + limit - 1) / limit);
    ObjectNode root = JSON.createObjectNode();
    ObjectNode pageNode = root.putObject("page");
    pageNode.put("records", records);
    pageNode.put("pages", pages);
    pageNode.put("current_page", page);
    if (page < pages) {
      pageNode.put("next_page", page + 1);
    } else {
      pageNode.putNull("next_page");
    }
    if (page > 1) {
      pageNode.put("prev_page", Math.min(page - 1, pages));
    } else {
      pageNode.putNull("prev_page");
    }
    pageNode.put("limit", limit);
    ObjectNode links = root.putObject("_links");
    links.putObject("self").put("href", pageHref(base, path, page, limit));
    if (page < pages) {
      links.putObject("next").put("href", pageHref(base, path, page + 1, limit));
    }
    if (page > 1) {
      links.putObject("prev").put("href", pageHref(base, path, Math.min(page - 1, pages), limit));
    }
    ArrayNode items = root.putObject("_embedded").putArray(key);
    long from = (page - 1) * limit;
    for (long i = from; i < Math.min(records, from + limit); i++) {
      items.add(json.apply(all.get((int) i)));
    }
    return ok(root);
  }

  private static String pageHref(String base, String path, long page, long limit) {
    return base + path + "?page=" + page + "&limit=" + limit;
  }

  private static long param(Function<String, String> query, String name, long dflt) {
    String value = query.apply(name);
    if (value == null || value.isEmpty()) {
      return dflt;
    }
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw new NumberFormatException(name + " must be an integer, was '" + value + "'");
    }
  }

  private ObjectNode currentAccount(String base) {
    ObjectNode node = JSON.createObjectNode();
    node.put("id", 1);
    node.put("first_name", "Sam");
    node.put("last_name", "Simulator");
    node.put("email", "simulator@example.invalid");
    ObjectNode links = node.putObject("_links");
    links.putObject("self").put("href", base + "/current_account");
    links.putObject("sites").put("href", base + "/sites");
    return node;
  }

  private static ObjectNode siteJson(Site site, String base) {
    ObjectNode node = JSON.createObjectNode();
    node.put("id", site.id);
    node.put("name", site.name);
    ObjectNode links = node.putObject("_links");
    links.putObject("self").put("href", base + "/sites/" + site.id);
    links.putObject("games").put("href", base + "/sites/" + site.id + "/games");
    return node;
  }

  private static ObjectNode gameJson(Game game, String base) {
    ObjectNode node = JSON.createObjectNode();
    node.put("id", game.id);
    node.put("lock_version", game.lockVersion);
    node.setAll(game.attributes);
    ObjectNode links = node.putObject("_links");
    links.putObject("self").put("href", base + "/games/" + game.id);
    links.putObject("site").put("href", base + "/sites/" + game.siteId);
    ArrayNode embedded = node.putObject("_embedded").putArray("assignments");
    game.assignments.forEach(a -> embedded.add(assignmentJson(a, base)));
    return node;
  }

  private static ObjectNode assignmentJson(Assignment a, String base) {
    ObjectNode node = JSON.createObjectNode();
    node.put("id", a.id);
    node.put("position", a.position);
    node.put("accepted", a.accepted);
    node.put("lock_version", a.lockVersion);
    ObjectNode links = node.putObject("_links");
    String self = base + "/assignments/" + a.id;
    links.putObject("self").put("href", self);
    links.putObject("game").put("href", base + "/games/" + a.gameId);
    if (!a.accepted) {
      links.putObject("accept").put("href", self + "/confirm");
      links.putObject("decline").put("href", self + "/decline");
    }
    return node;
  }

  private static long id(String segment) {
    try {
      return Long.parseLong(segment);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static ApiResponse ok(JsonNode body) {
    return new ApiResponse(200, body, Map.of());
  }

  private static ApiResponse notFound(String what) {
    return error(404, what + " not found");
  }

  /** An Assignr-style error: {@code {"error":[{"message":"..."}]}}. */
  public static ApiResponse error(int status, String message) {
    ObjectNode node = JSON.createObjectNode();
    node.putArray("error").addObject().put("message", message);
    return new ApiResponse(status, node, Map.of());
  }

  /** Serializes a body. */
  public static byte[] bytes(JsonNode node) {
    try {
      return JSON.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private enum Route {
    CURRENT_ACCOUNT, SITES, SITE, SITE_GAMES, SITE_GAMES_CREATE, GAME, GAME_UPDATE, GAME_DELETE,
    ASSIGNMENT, ASSIGNMENT_CONFIRM, UNKNOWN;

    static Route of(String method, String[] seg) {
      boolean get = method.equals("GET");
      if (seg.length == 1 && seg[0].equals("current_account") && get) {
        return CURRENT_ACCOUNT;
      }
      if (seg.length >= 1 && seg[0].equals("sites")) {
        if (seg.length == 1 && get) {
          return SITES;
        }
        if (seg.length == 2 && get) {
          return SITE;
        }
        if (seg.length == 3 && seg[2].equals("games")) {
          return get ? SITE_GAMES : method.equals("POST") ? SITE_GAMES_CREATE : UNKNOWN;
        }
      }
      if (seg.length == 2 && seg[0].equals("games")) {
        switch (method) {
          case "GET":
            return GAME;
          case "PUT":
          case "PATCH":
            return GAME_UPDATE;
          case "DELETE":
            return GAME_DELETE;
          default:
            return UNKNOWN;
        }
      }
      if (seg.length >= 2 && seg[0].equals("assignments")) {
        if (seg.length == 2 && get) {
          return ASSIGNMENT;
        }
        if (seg.length == 3 && seg[2].equals("confirm") && method.equals("POST")) {
          return ASSIGNMENT_CONFIRM;
        }
      }
      return UNKNOWN;
    }
  }
}
