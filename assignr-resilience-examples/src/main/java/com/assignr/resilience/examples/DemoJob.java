package com.assignr.resilience.examples;

import com.assignr.resilience.AssignrException;
import com.assignr.resilience.workflows.Page;
import com.assignr.resilience.workflows.PageCursor;
import com.assignr.resilience.workflows.PageSource;
import com.assignr.resilience.workflows.Paging;
import com.assignr.resilience.workflows.ReadModifyWrite;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The demo's job: what an integration that mirrors an Assignr account does every night.
 *
 * <ol>
 *   <li>{@code GET /current_account}, then every page of {@code /sites};
 *   <li><b>sync</b>: the workers take one site each and follow {@code _links.next} through its
 *       games, {@code limit} 50 (Assignr's maximum), with the workflows module's {@link Paging}: if
 *       the hourly window stopped a site's sync, the failure line carries the resume token and the
 *       time to resume at (the {@code --hourly-sync} mode shows a sync that crosses it);
 *   <li><b>details</b>: the workers read the first games of each site one by one, {@code GET
 *       /games/{id}};
 *   <li><b>writes</b> (simulator only, alongside the details): create a game, edit a game that a
 *       colleague edited first (the stale {@code lock_version} is refused with 409: the workflows
 *       module's {@link ReadModifyWrite} reads the game again and applies the change to the fresh
 *       copy), confirm an assignment, delete
 *       the game it created.
 * </ol>
 *
 * <p>There is no retry, wait or rate-limit code here: the adapters do all of that. The job only
 * handles what the library rightly leaves to the caller, the 409, through the workflows module.
 */
final class DemoJob {

  /**
   * How much work to do.
   *
   * @param workers concurrent workers
   * @param pageLimit games per page, at most 50
   * @param maxPagesPerSite stop following {@code next} after this many pages of a site
   * @param detailsPerSite games per site whose details are read
   * @param writes whether to write (never against the real API)
   */
  record Workload(int workers, int pageLimit, int maxPagesPerSite, int detailsPerSite, boolean writes) {}

  /**
   * What the job did.
   *
   * @param sites sites found
   * @param pages pages of games fetched
   * @param gamesSynced games seen while syncing
   * @param detailsRead game details read
   * @param createdGameId the game the writes created (and deleted), or -1
   * @param conflictGameId the game edited with a stale lock_version, or -1
   * @param conflicts 409s the job caught (1 when the stale edit went as planned)
   * @param staleEditSaved whether the change was saved after re-reading the game
   * @param postPaths the paths the job POSTed to, each once
   * @param failures calls that failed for good, one line each (no credentials in them)
   */
  record Result(int sites, int pages, int gamesSynced, int detailsRead, long createdGameId,
      long conflictGameId, int conflicts, boolean staleEditSaved, List<String> postPaths,
      List<String> failures) {}

  private final AssignrApi api;
  private final String base;
  private final Workload workload;
  private final ObjectMapper mapper;
  private final Runnable beforeDetails;
  private final int instance;
  private final int instances;

  private final AtomicInteger pages = new AtomicInteger();
  private final AtomicInteger gamesSynced = new AtomicInteger();
  private final AtomicInteger gamesTotal = new AtomicInteger();
  private final AtomicInteger detailsRead = new AtomicInteger();
  private final AtomicInteger detailsPlanned = new AtomicInteger();
  private final AtomicInteger writesDone = new AtomicInteger();
  private final List<String> failures = Collections.synchronizedList(new ArrayList<>());
  private final List<String> postPaths = Collections.synchronizedList(new ArrayList<>());
  private volatile String phase = "starting";

  /**
   * @param api the adapter to call through
   * @param base the API base URL, e.g. {@code https://api.assignr.com/api/v2}
   * @param beforeDetails run once between the sync and the details (the simulator's 503 burst)
   */
  DemoJob(AssignrApi api, String base, Workload workload, ObjectMapper mapper, Runnable beforeDetails) {
    this(api, base, workload, mapper, beforeDetails, 0, 1);
  }

  /**
   * One instance's share of the job when {@code instances} processes split it (the demo's fleet
   * mode): the sites whose position in the list is {@code instance} modulo {@code instances}.
   */
  DemoJob(AssignrApi api, String base, Workload workload, ObjectMapper mapper, Runnable beforeDetails,
      int instance, int instances) {
    this.instance = instance;
    this.instances = instances;
    this.api = api;
    this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    this.workload = workload;
    this.mapper = mapper;
    this.beforeDetails = beforeDetails;
  }

  /** One line for the progress display. */
  String progress() {
    String synced = gamesTotal.get() > 0 ? gamesSynced.get() + "/" + gamesTotal.get() : Integer.toString(gamesSynced.get());
    return String.format("%-7s | games %s | details %d/%d%s", phase, synced, detailsRead.get(),
        detailsPlanned.get(), workload.writes() ? " | writes " + writesDone.get() + "/8" : "");
  }

  Result run() throws IOException, InterruptedException {
    phase = "account";
    api.get(base + "/current_account");
    phase = "sites";
    List<Long> sites = new ArrayList<>();
    List<JsonNode> listed = allPages(base + "/sites?page=1&limit=" + workload.pageLimit(), "sites", Integer.MAX_VALUE);
    for (int i = 0; i < listed.size(); i++) {
      if (i % instances == instance) sites.add(listed.get(i).path("id").asLong());
    }

    ExecutorService pool = Executors.newFixedThreadPool(workload.workers(), r -> {
      Thread t = new Thread(r, "demo-worker-" + api.name());
      t.setDaemon(true);
      return t;
    });
    try {
      phase = "sync";
      List<Callable<List<Long>>> syncs = new ArrayList<>();
      for (long site : sites) syncs.add(() -> syncSite(site));
      List<Long> detailIds = new ArrayList<>();
      List<List<Long>> perSite = await(pool.invokeAll(syncs));
      for (List<Long> ids : perSite) {
        detailIds.addAll(ids.subList(0, Math.min(ids.size(), workload.detailsPerSite())));
      }

      phase = "details";
      beforeDetails.run();
      detailsPlanned.set(detailIds.size());
      List<Callable<Void>> tasks = new ArrayList<>();
      long[] written = {-1, -1, 0, 0};
      if (workload.writes() && !perSite.isEmpty() && !perSite.get(0).isEmpty()) {
        long site = sites.get(0);
        long game = perSite.get(0).get(0);
        tasks.add(() -> {
          writes(site, game, written);
          return null;
        });
      }
      for (long id : detailIds) {
        tasks.add(() -> {
          api.get(base + "/games/" + id);
          detailsRead.incrementAndGet();
          return null;
        });
      }
      await(pool.invokeAll(tasks));
      phase = "done";
      return new Result(sites.size(), pages.get(), gamesSynced.get(), detailsRead.get(),
          written[0], written[1], (int) written[2], written[3] == 1, List.copyOf(postPaths),
          List.copyOf(failures));
    } finally {
      pool.shutdownNow();
    }
  }

  /** Follows one site's pages; returns its game ids in order. */
  private List<Long> syncSite(long site) throws IOException {
    List<Long> ids = new ArrayList<>();
    String first = base + "/sites/" + site + "/games?page=1&limit=" + workload.pageLimit();
    for (JsonNode game : allPages(first, "games", workload.maxPagesPerSite())) {
      ids.add(game.path("id").asLong());
      gamesSynced.incrementAndGet();
    }
    return ids;
  }

  /**
   * Every item of a HAL collection, following {@code _links.next} for at most {@code maxPages}.
   * A stop at the hourly window (the adapters give up at once with {@code retryAt}) is reported
   * as a failure line with the token a re-run would resume from.
   */
  private List<JsonNode> allPages(String url, String key, int maxPages) throws IOException {
    List<JsonNode> items = new ArrayList<>();
    PageCursor<JsonNode> cursor = PAGING.start(url, collection(api, key, pages, key.equals("games") ? gamesTotal : null));
    Page<JsonNode> page;
    for (int n = 0; n < maxPages && (page = cursor.nextPage()) != null; n++) {
      items.addAll(page.records());
    }
    cursor.paused().ifPresent(p -> failures.add("the rate limit stopped the sync of " + url.substring(url.indexOf("/api/"))
        + " until " + p.retryAt() + "; resume token: " + p.token().asString()));
    return items;
  }

  /** Pages of 50, stopping with a resume token when the hourly window binds (see HourlySync for waiting). */
  private static final Paging PAGING = Paging.builder().build();

  /**
   * A collection's pages read through {@code api} (its Jackson): the {@code _embedded.<key>}
   * records and the {@code _links.next} href. Counts pages, and the total records of first pages.
   */
  static PageSource<JsonNode> collection(AssignrApi api, String key, AtomicInteger pages, AtomicInteger total) {
    return url -> {
      JsonNode root = api.get(url);
      pages.incrementAndGet();
      if (total != null && root.path("page").path("current_page").asInt() == 1) {
        total.addAndGet(root.path("page").path("records").asInt());
      }
      List<JsonNode> records = new ArrayList<>();
      root.path("_embedded").path(key).forEach(records::add);
      JsonNode next = root.path("_links").path("next").path("href");
      return Page.of(records, next.isTextual() ? next.asText() : null);
    };
  }

  /**
   * The writes: create, a stale-lock edit handled properly, confirm, delete. {@code out} receives
   * the created id, the edited id, the 409s caught and 1 if the edit was finally saved.
   */
  private void writes(long site, long gameId, long[] out) throws IOException {
    // 1. Create a game. POST is not idempotent: the library retries it only when Assignr
    //    provably did not process it (429, 503), so it is created exactly once.
    ObjectNode created = post(base + "/sites/" + site + "/games", game(
        "2025-10-04", "09:00", "Demo FC", "Resilience United", "Field 9", -1));
    long createdId = created.path("id").asLong();
    out[0] = createdId;

    // 2. A stale lock_version. We read the game; a colleague saves a change to it first (here
    //    through the same client); our save, still carrying the old lock_version, gets 409.
    String url = base + "/games/" + gameId;
    out[1] = gameId;
    JsonNode mine = get(url);
    long staleLock = mine.path("lock_version").asLong();
    put(url, game(mine.path("date").asText(), mine.path("start_time").asText(), null, null,
        "Field 2 (moved by a colleague)", staleLock));
    // Never resend the same body: the workflows module's ReadModifyWrite applies our change (kick-off
    // at 10:00) to the copy we hold, and on 409 reads the game again and applies it to the fresh one.
    AtomicReference<JsonNode> held = new AtomicReference<>(mine);
    ReadModifyWrite.Result<JsonNode, JsonNode> saved = ReadModifyWrite.defaults().run(
        () -> {
          JsonNode copy = held.getAndSet(null);
          return copy != null ? copy : get(url);
        },
        game -> "10:00".equals(game.path("start_time").asText()) ? ReadModifyWrite.Edit.alreadyApplied()
            : ReadModifyWrite.Edit.write(game(game.path("date").asText(), "10:00", null, null, null,
                game.path("lock_version").asLong())),
        body -> put(url, body));
    out[2] = saved.conflicts();
    out[3] = saved.applied() ? 1 : 0;

    // 3. Confirm the game's first assignment.
    long assignment = mine.path("_embedded").path("assignments").path(0).path("id").asLong(gameId * 10 + 1);
    post(base + "/assignments/" + assignment + "/confirm", null);

    // 4. Delete the game we created.
    api.delete(base + "/games/" + createdId);
    writesDone.incrementAndGet();
  }

  private JsonNode get(String url) throws IOException {
    JsonNode node = api.get(url);
    writesDone.incrementAndGet();
    return node;
  }

  private JsonNode put(String url, JsonNode body) throws IOException {
    writesDone.incrementAndGet();
    return api.put(url, body);
  }

  private ObjectNode post(String url, ObjectNode body) throws IOException {
    postPaths.add(url.substring(url.indexOf("/api/")));
    JsonNode node = api.post(url, body);
    writesDone.incrementAndGet();
    return node instanceof ObjectNode o ? o : mapper.createObjectNode();
  }

  private ObjectNode game(String date, String startTime, String home, String away, String venue, long lockVersion) {
    ObjectNode root = mapper.createObjectNode();
    ObjectNode game = root.putObject("game");
    game.put("date", date);
    game.put("start_time", startTime);
    if (home != null) game.put("home_team", home);
    if (away != null) game.put("away_team", away);
    if (venue != null) game.put("venue", venue);
    if (lockVersion >= 0) game.put("lock_version", lockVersion);
    return root;
  }

  /** Collects results; a task that failed for good is recorded, and the job goes on. */
  private <T> List<T> await(List<Future<T>> futures) throws InterruptedException {
    List<T> results = new ArrayList<>();
    for (Future<T> f : futures) {
      try {
        T value = f.get();
        if (value != null) results.add(value);
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        failures.add(cause instanceof AssignrException ? cause.getMessage()
            : cause.getClass().getSimpleName() + ": " + cause.getMessage());
      }
    }
    return results;
  }
}
