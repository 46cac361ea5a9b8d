package com.assignr.resilience.examples;

import com.assignr.resilience.oauth.AssignrOAuth;
import com.assignr.resilience.oauth.Credentials;
import com.assignr.resilience.testkit.AssignrSimulator;
import com.assignr.resilience.testkit.RateLimitRule;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The demo: the library's main job, end to end. By default it starts the testkit's Assignr
 * simulator (HTTPS, time-compressed windows, a 503 burst and some 500s) and runs the same job
 * through the OkHttp interceptor and the {@code java.net.http} decorator; with {@code --token} or
 * {@code --client-id}/{@code --client-secret} it runs the read-only part against the real API.
 */
@Command(name = "assignr-demo", mixinStandardHelpOptions = true, version = "assignr-resilience demo 0.1.0",
    sortOptions = false, usageHelpWidth = 100,
    description = {
        "Runs a realistic Assignr job - several workers syncing pages of games, reading game details,"
            + " and (on the simulator) a few writes including a stale lock_version PUT - through"
            + " assignr-resilience's OkHttp interceptor and java.net.http decorator, printing"
            + " progress and a summary: requests, 429s, retries by cause, time waited in the"
            + " rate-limit gate, elapsed against the ideal time the rate limits allow.",
        "",
        "By default it runs against an embedded Assignr simulator on HTTPS with compressed windows."
            + " Give --token, or --client-id and --client-secret, to run the READ-ONLY part against"
            + " the real API instead (nothing is written there). Secrets may also come from the"
            + " environment (ASSIGNR_TOKEN, ASSIGNR_CLIENT_ID, ASSIGNR_CLIENT_SECRET), which keeps them"
            + " out of your shell history. They are never printed.",
        ""})
public final class Demo implements Callable<Integer> {
  static final String ASSIGNR_API = "https://api.assignr.com/api/v2";
  static final String ASSIGNR_TOKEN_URL = "https://app.assignr.com/oauth/token";

  @Option(names = "--base-url", paramLabel = "URL",
      description = "API base URL of the real API (default with credentials: " + ASSIGNR_API + ")."
          + " Requires --token or --client-id/--client-secret. Runs the read-only part only.")
  String baseUrl;

  @Option(names = "--token", paramLabel = "TOKEN", defaultValue = "${env:ASSIGNR_TOKEN}",
      description = "OAuth access token (Bearer) for the real API. Env: ASSIGNR_TOKEN.")
  String token;

  @Option(names = "--client-id", paramLabel = "ID", defaultValue = "${env:ASSIGNR_CLIENT_ID}",
      description = "OAuth client id: fetch a token with the client-credentials grant. Env: ASSIGNR_CLIENT_ID.")
  String clientId;

  @Option(names = "--client-secret", paramLabel = "SECRET", defaultValue = "${env:ASSIGNR_CLIENT_SECRET}",
      description = "OAuth client secret, with --client-id. Env: ASSIGNR_CLIENT_SECRET.")
  String clientSecret;

  @Option(names = "--token-url", paramLabel = "URL", defaultValue = ASSIGNR_TOKEN_URL,
      description = "OAuth token endpoint, on a different host from the API (default: ${DEFAULT-VALUE}).")
  URI tokenUrl;

  @Option(names = "--scope", paramLabel = "SCOPE", defaultValue = "read",
      description = "OAuth scope to ask for; the demo only reads from the real API (default: ${DEFAULT-VALUE}).")
  String scope;

  @Option(names = "--adapter", paramLabel = "NAME", defaultValue = "both",
      description = "okhttp, jdk or both (default: ${DEFAULT-VALUE}).")
  String adapter;

  @Option(names = "--workers", paramLabel = "N", defaultValue = "4",
      description = "Concurrent workers (default: ${DEFAULT-VALUE}).")
  int workers;

  @Option(names = "--details-per-site", paramLabel = "N", defaultValue = "25",
      description = "Games per site whose details are read one by one (default: ${DEFAULT-VALUE}).")
  int detailsPerSite;

  @Option(names = "--max-pages", paramLabel = "N", defaultValue = "10",
      description = "Pages of games (50 each) to sync per site at most (default: ${DEFAULT-VALUE}).")
  int maxPages;

  @Option(names = "--rate-limit", paramLabel = "LIMIT/SECONDS", split = ",", defaultValue = "40/5,100/15",
      description = "Simulator only: its fixed windows, all applied at once, like Assignr's"
          + " 180/60,500/300,5000/3600 compressed in time (default: ${DEFAULT-VALUE}).")
  List<String> rateLimits;

  @Option(names = "--sites", paramLabel = "N", defaultValue = "4",
      description = "Simulator only: sites in the simulated account (default: ${DEFAULT-VALUE}).")
  int sites;

  @Option(names = "--games-per-site", paramLabel = "N", defaultValue = "120",
      description = "Simulator only: games per site (default: ${DEFAULT-VALUE}).")
  int gamesPerSite;

  @Option(names = "--burst", paramLabel = "N", defaultValue = "6",
      description = "Simulator only: a 503 burst on the next N requests when the details start; 0 for none"
          + " (default: ${DEFAULT-VALUE}).")
  int burst;

  @Option(names = "--error-every", paramLabel = "N", defaultValue = "20",
      description = "Simulator only: every Nth game read (and every 5th page) answers 500; 0 for none"
          + " (default: ${DEFAULT-VALUE}).")
  int errorEvery;

  @Option(names = "--instances", paramLabel = "N", defaultValue = "1",
      description = "Simulator only: run the job split across N separate JVMs (each syncing its share of the"
          + " sites), once with an in-process rate-limit gate in each and once with one gate for all of them"
          + " in an embedded Redis, and compare (default: ${DEFAULT-VALUE}, the one-process demo).")
  int instances;

  @Option(names = "--hourly-sync",
      description = "Simulator only: instead of the job, run a sync of every page of games that needs"
          + " --hourly-budgets times the hourly window, on a compressed (virtual) clock: the paging stops"
          + " with a resume token when the hourly window binds and a fresh job resumes from it at retryAt.")
  boolean hourlySync;

  @Option(names = "--hourly-windows", paramLabel = "LIMIT/SECONDS", split = ",", defaultValue = "18/60,50/300,100/3600",
      description = "With --hourly-sync: the simulator's windows, the longest one binding; Assignr's shape with"
          + " smaller limits (default: ${DEFAULT-VALUE}).")
  List<String> hourlyWindows;

  @Option(names = "--hourly-budgets", paramLabel = "N", defaultValue = "3",
      description = "With --hourly-sync: pages to sync, in hourly windows' worth (default: ${DEFAULT-VALUE}).")
  int hourlyBudgets;

  @Option(names = "--wait-for-quota",
      description = "With --hourly-sync: the paging waits for retryAt in-process instead of stopping with a token.")
  boolean waitForQuota;

  @Option(names = "--progress", paramLabel = "MILLIS", defaultValue = "1000",
      description = "Print a progress line this often; 0 for none (default: ${DEFAULT-VALUE}).")
  long progressMillis;

  private final PrintStream out;

  Demo(PrintStream out) {
    this.out = out;
  }

  public static void main(String[] args) {
    // Keep WireMock's and Jetty's start-up chatter out of the demo's output.
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel",
        System.getProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn"));
    CommandLine cli = new CommandLine(new Demo(System.out));
    // One line, not a stack trace; the library's messages never hold a credential.
    cli.setExecutionExceptionHandler((e, line, parsed) -> {
      line.getErr().println("demo failed: " + e);
      return 2;
    });
    int code = cli.execute(args);
    if (code != 0) System.exit(code);
  }

  @Override
  public Integer call() throws Exception {
    List<String> adapters = adapter.equals("both") ? DemoRun.ADAPTERS : List.of(adapter);
    if (!DemoRun.ADAPTERS.containsAll(adapters)) {
      throw new CommandLine.ParameterException(new CommandLine(this),
          "--adapter must be okhttp, jdk or both, was " + adapter);
    }
    CommandLine.ParameterException bad = validate();
    if (bad != null) throw bad;
    boolean real = baseUrl != null || !blank(token) || !blank(clientId) || !blank(clientSecret);
    if (hourlySync) {
      if (real || instances > 1) {
        throw new CommandLine.ParameterException(new CommandLine(this),
            "--hourly-sync runs on the embedded simulator in one process; leave out --base-url, the credentials and --instances");
      }
      return runHourlySync(adapters);
    }
    if (instances > 1) {
      if (real) {
        throw new CommandLine.ParameterException(new CommandLine(this),
            "--instances runs on the embedded simulator only; leave out --base-url and the credentials");
      }
      List<FleetDemo.Run> runs = FleetDemo.run(instances, parseRules(rateLimits), sites, gamesPerSite, workers,
          maxPages, detailsPerSite, out, progress());
      return runs.stream().allMatch(r -> r.failures() == 0 && r.failureLines().isEmpty()) ? 0 : 1;
    }
    return real ? runReal(adapters) : runSimulated(adapters);
  }

  private CommandLine.ParameterException validate() {
    String problem = workers < 1 ? "--workers must be at least 1, was " + workers
        : instances < 1 || instances > 16 ? "--instances must be between 1 and 16, was " + instances
        : detailsPerSite < 0 ? "--details-per-site must not be negative, was " + detailsPerSite
        : maxPages < 1 ? "--max-pages must be at least 1, was " + maxPages
        : sites < 1 ? "--sites must be at least 1, was " + sites
        : gamesPerSite < 1 ? "--games-per-site must be at least 1, was " + gamesPerSite
        : burst < 0 ? "--burst must not be negative, was " + burst
        : errorEvery < 0 ? "--error-every must not be negative, was " + errorEvery
        : hourlyBudgets < 1 || hourlyBudgets > 20 ? "--hourly-budgets must be between 1 and 20, was " + hourlyBudgets
        : null;
    if (problem == null) {
      try {
        parseRules(hourlyWindows);
        parseRules(rateLimits);
      } catch (IllegalArgumentException e) {
        problem = e.getMessage();
      }
    }
    return problem == null ? null : new CommandLine.ParameterException(new CommandLine(this), problem);
  }

  private int runSimulated(List<String> adapters) throws Exception {
    List<RateLimitRule> rules = parseRules(rateLimits);
    DemoJob.Workload workload = new DemoJob.Workload(workers, 50, maxPages, detailsPerSite, true);
    out.printf("Embedded Assignr simulator (HTTPS): %d sites x %d games, windows %s, 503 burst of %d,"
        + " 500 on every %dth game read.%n", sites, gamesPerSite, describe(rules), burst, errorEvery);
    out.printf("Job per adapter: %d workers sync every page (limit 50), read %d games per site,"
        + " and write: create, stale-lock edit, confirm, delete.%n%n", workers, detailsPerSite);
    List<DemoRun.Summary> summaries = new ArrayList<>();
    List<SummaryTable.ServerView> server = new ArrayList<>();
    for (String name : adapters) {
      // A fresh simulator per adapter, so each starts with full windows and its own journal.
      try (AssignrSimulator sim = DemoSimulator.start(rules, sites, gamesPerSite, errorEvery, true)) {
        // No token in the code: the library's Credentials fetch one from the simulator's token
        // endpoint, renew it ahead of expiry, and renew it once more when Assignr answers 401.
        DemoRun.Target target = new DemoRun.Target(sim.baseUrl(), null, DemoSimulator.credentials(sim),
            sim.sslContext(), sim.trustManager(), rules);
        summaries.add(DemoRun.run(name, target, workload, DemoSimulator.burstAndRevoke(sim, burst), out, progress()));
        server.add(new SummaryTable.ServerView(sim.journal().count(), sim.journal().countStatus(429),
            sim.tokenRequests().size(), sim.journal().countStatus(401)));
      }
      out.println();
    }
    out.print(SummaryTable.render(summaries, server, true));
    printFailures(summaries);
    return summaries.stream().allMatch(s -> s.job().failures().isEmpty()) ? 0 : 1;
  }

  private int runHourlySync(List<String> adapters) throws Exception {
    List<RateLimitRule> rules = parseRules(hourlyWindows);
    out.printf("Embedded Assignr simulator on a compressed (virtual) clock, windows %s: a sync of every page of"
        + " games (limit 50) worth %d hourly windows, %s.%n", describe(rules), hourlyBudgets,
        waitForQuota ? "waiting for retryAt in-process" : "stopping with a resume token when the hourly window binds");
    boolean ok = true;
    for (String name : adapters) {
      out.println(name + ":");
      HourlySync.Result r = HourlySync.run(rules, hourlyBudgets, HOURLY_SITES, name, waitForQuota, out);
      out.print("  " + HourlySync.describe(r, rules, waitForQuota));
      ok &= r.readTwice() == 0 && r.records() == r.distinctRecords();
    }
    return ok ? 0 : 1;
  }

  /** Sites the hourly sync spreads its pages over (each site a collection with its own token). */
  static final int HOURLY_SITES = 10;

  private int runReal(List<String> adapters) throws Exception {
    String base = baseUrl == null ? ASSIGNR_API : baseUrl;
    Credentials credentials = null;
    if (blank(token)) {
      if (blank(clientId) || blank(clientSecret)) {
        throw new CommandLine.ParameterException(new CommandLine(this),
            "the real API needs --token, or --client-id with --client-secret");
      }
      out.printf("Tokens from %s (client credentials, scope '%s'), managed by the library.%n",
          tokenUrl.getHost(), scope);
      credentials = AssignrOAuth.builder().clientId(clientId).clientSecret(clientSecret).scope(scope)
          .tokenUri(tokenUrl).build();
    }
    List<RateLimitRule> rules = RateLimitRule.assignrDefaults();
    DemoJob.Workload workload = new DemoJob.Workload(workers, 50, maxPages, detailsPerSite, false);
    out.printf("Real API at %s, READ-ONLY: %d workers, at most %d pages per site, %d game details per site."
        + " Every request counts against your account's quota (%s).%n%n",
        URI.create(base).getHost(), workers, maxPages, detailsPerSite, describe(rules));
    DemoRun.Target target = new DemoRun.Target(base, blank(token) ? null : "Bearer " + token, credentials,
        null, null, rules);
    List<DemoRun.Summary> summaries = new ArrayList<>();
    for (String name : adapters) {
      summaries.add(DemoRun.run(name, target, workload, () -> { }, out, progress()));
      out.println();
    }
    out.print(SummaryTable.render(summaries, null, false));
    printFailures(summaries);
    return summaries.stream().allMatch(s -> s.job().failures().isEmpty()) ? 0 : 1;
  }

  private void printFailures(List<DemoRun.Summary> summaries) {
    for (DemoRun.Summary s : summaries) {
      for (String failure : s.job().failures()) out.println(s.adapter() + ": failed: " + failure);
    }
  }

  private Duration progress() {
    return progressMillis > 0 ? Duration.ofMillis(progressMillis) : null;
  }

  static List<RateLimitRule> parseRules(List<String> specs) {
    List<RateLimitRule> rules = new ArrayList<>();
    for (String spec : specs) {
      String[] parts = spec.trim().split("/");
      try {
        if (parts.length != 2) throw new IllegalArgumentException("not two numbers");
        rules.add(RateLimitRule.of(Long.parseLong(parts[0].trim()),
            Duration.ofSeconds(Long.parseLong(parts[1].trim().replaceAll("s$", "")))));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--rate-limit wants LIMIT/SECONDS such as 40/5, was '"
            + spec + "': " + e.getMessage(), e);
      }
    }
    return rules;
  }

  static String describe(List<RateLimitRule> rules) {
    return rules.stream().map(r -> r.limit() + "/" + r.period().toSeconds() + "s").collect(Collectors.joining(" + "));
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
