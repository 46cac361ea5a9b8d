package com.assignr.resilience.examples;

import com.assignr.resilience.Classification;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/** The end-of-run table: one column per adapter. */
final class SummaryTable {
  /**
   * What the server saw, when it can tell (the simulator's journal): requests and 429s.
   *
   * @param requests requests the server received
   * @param rateLimited 429s it served
   */
  /**
   * What the simulator saw of one run.
   *
   * @param requests API requests
   * @param rateLimited 429s it answered
   * @param tokenRequests requests to its OAuth token endpoint (-1: no token endpoint)
   * @param unauthorized 401s it answered (a revoked token, renewed once and resent)
   */
  record ServerView(long requests, long rateLimited, long tokenRequests, long unauthorized) {}

  private final List<DemoRun.Summary> runs;
  private final List<ServerView> server;
  private final boolean writes;
  private final List<String[]> rows = new ArrayList<>();

  private SummaryTable(List<DemoRun.Summary> runs, List<ServerView> server, boolean writes) {
    this.runs = runs;
    this.server = server;
    this.writes = writes;
  }

  /**
   * @param server per run, what the server saw; null entries (or a null list) when unknown
   */
  static String render(List<DemoRun.Summary> runs, List<ServerView> server, boolean writes) {
    return new SummaryTable(runs, server, writes).build();
  }

  private String build() {
    row("", r -> r.adapter());
    row("requests sent", r -> Long.toString(r.requests()));
    row("429s received", r -> Long.toString(r.rateLimited()));
    row("retries", r -> Long.toString(r.retries()));
    Set<Classification> causes = new LinkedHashSet<>(List.of(
        Classification.RATE_LIMITED, Classification.SERVICE_UNAVAILABLE, Classification.SERVER_ERROR));
    runs.forEach(r -> causes.addAll(r.retriesByCause().keySet()));
    for (Classification c : causes) {
      row("  after " + label(c), r -> Long.toString(r.retries(c)));
    }
    row("gate closures", r -> Long.toString(r.gateClosures()));
    row("time waited in the gate, all workers", r -> seconds(r.gateWait()));
    row("time waited before retries", r -> seconds(r.retryDelay()));
    row("elapsed", r -> seconds(r.elapsed()));
    row("ideal the limits allow", r -> seconds(r.ideal()));
    row("elapsed / ideal", r -> r.ideal().isZero() ? "n/a"
        : String.format("%.0f%%", 100.0 * r.elapsed().toMillis() / r.ideal().toMillis()));
    row("games synced / details", r -> r.job().gamesSynced() + " / " + r.job().detailsRead());
    if (writes) {
      row("stale PUT: 409, re-read, saved", r -> r.job().conflicts() + " x 409, "
          + (r.job().staleEditSaved() ? "saved" : "NOT saved"));
      row("POSTs made (each once)", r -> Integer.toString(r.job().postPaths().size()));
    }
    row("calls failed for good", r -> Integer.toString(r.job().failures().size()));
    if (server != null && server.stream().anyMatch(s -> s != null)) {
      List<String> cells = new ArrayList<>();
      for (int i = 0; i < runs.size(); i++) {
        ServerView s = server.get(i);
        DemoRun.Summary r = runs.get(i);
        cells.add(s == null ? "-" : s.requests() + " / " + s.rateLimited()
            + (s.requests() == r.requests() && s.rateLimited() == r.rateLimited() ? " (agrees)" : " (DIFFERS)"));
      }
      rows.add(cell("server journal: requests / 429s", cells));
      if (server.stream().anyMatch(s -> s != null && s.tokenRequests() >= 0)) {
        List<String> tokens = new ArrayList<>();
        for (ServerView s : server) {
          tokens.add(s == null || s.tokenRequests() < 0 ? "-" : s.tokenRequests() + " / " + s.unauthorized());
        }
        rows.add(cell("token requests / 401s renewed and resent", tokens));
      }
    }
    return format();
  }

  private static String label(Classification c) {
    switch (c) {
      case RATE_LIMITED: return "429 rate limited";
      case SERVICE_UNAVAILABLE: return "503 unavailable";
      case SERVER_ERROR: return "500 server error";
      case CONNECT_FAILURE: return "connect failure";
      case IO_FAILURE: return "I/O failure";
      default: return c.name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private static String seconds(Duration d) {
    return String.format("%.1f s", d.toMillis() / 1000.0);
  }

  private void row(String name, Function<DemoRun.Summary, String> value) {
    List<String> cells = new ArrayList<>();
    for (DemoRun.Summary r : runs) cells.add(value.apply(r));
    rows.add(cell(name, cells));
  }

  private static String[] cell(String name, List<String> cells) {
    String[] row = new String[cells.size() + 1];
    row[0] = name;
    for (int i = 0; i < cells.size(); i++) row[i + 1] = cells.get(i);
    return row;
  }

  private String format() {
    int columns = rows.get(0).length;
    int[] width = new int[columns];
    for (String[] row : rows) {
      for (int i = 0; i < columns; i++) width[i] = Math.max(width[i], row[i].length());
    }
    StringBuilder s = new StringBuilder();
    for (int n = 0; n < rows.size(); n++) {
      String[] row = rows.get(n);
      s.append(String.format("%-" + width[0] + "s", row[0]));
      for (int i = 1; i < columns; i++) s.append(" | ").append(String.format("%" + width[i] + "s", row[i]));
      s.append('\n');
      if (n == 0) {
        s.append("-".repeat(width[0]));
        for (int i = 1; i < columns; i++) s.append("-+-").append("-".repeat(width[i]));
        s.append('\n');
      }
    }
    return s.toString();
  }
}
