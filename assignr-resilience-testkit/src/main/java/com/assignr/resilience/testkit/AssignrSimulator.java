package com.assignr.resilience.testkit;

import com.assignr.resilience.testkit.internal.AssignrApiFilter;
import com.assignr.resilience.testkit.internal.FixedWindowRateLimiter;
import com.assignr.resilience.testkit.internal.JournalStore;
import com.assignr.resilience.testkit.internal.OAuthTokenFilter;
import com.assignr.resilience.testkit.internal.ScriptStore;
import com.assignr.resilience.testkit.internal.SimulatedAccount;
import com.assignr.resilience.testkit.internal.SimulatorTls;
import com.assignr.resilience.testkit.internal.StatsCounters;
import com.assignr.resilience.testkit.internal.TokenStore;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.common.Slf4jNotifier;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.extension.Extension;
import java.net.URI;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.X509TrustManager;

/**
 * A simulated Assignr API v2 on WireMock: Assignr's three fixed rate-limit windows with their
 * headers, HAL+JSON endpoints with pagination and optimistic locking, Assignr's error statuses,
 * scriptable outages and faults, and a request journal.
 *
 * <pre>{@code
 * VirtualTime time = VirtualTime.autoAdvancing(); // or any java.time.Clock
 * try (AssignrSimulator sim = AssignrSimulator.builder()
 *     .clock(time.clock())
 *     .rateLimits(RateLimitRule.of(20, Duration.ofSeconds(2)))  // time-compressed
 *     .https(true)
 *     .start()) {
 *   HttpClient client = HttpClient.newBuilder().sslContext(sim.sslContext()).build();
 *   client.send(HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/sites/1/games"))
 *       .header("Authorization", "Bearer anything")
 *       .header("Accept", "application/vnd.assignr.v2.hal+json").build(), ofString());
 *   sim.script().serviceUnavailable(3);
 *   assertEquals(1, sim.journal().count("GET", "/api/v2/sites/1/games"));
 * }
 * }</pre>
 *
 * <p>The simulator owns every path under {@code /api/v2}; other paths fall through to WireMock's
 * own stubs ({@link #wireMock()}). To load the simulator into a WireMock server of your own,
 * {@link Builder#build() build} without starting and register {@link #wireMockExtension()} in your
 * {@code WireMockConfiguration.extensions(...)}; the journal, script and stats then work as usual,
 * while the URL and port accessors need {@link #start()}.
 *
 * <h2>OAuth token endpoint</h2>
 *
 * <p>Register a client with {@link Builder#oauthClient(String, String)} and {@link #start()} also
 * runs Assignr's token endpoint, {@code POST /oauth/token} with the client-credentials grant, on a
 * second server of its own (Assignr's is on another host, {@code app.assignr.com}), with the same
 * HTTP/HTTPS settings and certificate: {@link #tokenUri()}. It issues random 43-character Bearer
 * tokens that live {@link Builder#tokenLifetime(Duration)} on the simulator clock. With
 * {@link Builder#requireIssuedTokens(boolean)} the API answers 401 to any other token, to an
 * expired one, and to every token after {@link #expireAllTokens()}. {@link #tokenScript()} scripts
 * its failures; {@link #tokenRequests()} lists its requests, never with a secret or a token.
 *
 * <pre>{@code
 * VirtualTime time = VirtualTime.manual();
 * HttpClient client = HttpClient.newHttpClient();
 * try (AssignrSimulator sim = AssignrSimulator.builder().clock(time.clock())
 *     .oauthClient("my-app", "s3cret").tokenLifetime(Duration.ofSeconds(60))
 *     .requireIssuedTokens(true).start()) {
 *   HttpResponse<String> token = client.send(HttpRequest.newBuilder(sim.tokenUri())
 *       .header("Content-Type", "application/x-www-form-urlencoded")
 *       .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&client_id=my-app"
 *           + "&client_secret=s3cret&scope=read+write")).build(), HttpResponse.BodyHandlers.ofString());
 *   // {"access_token":"...","token_type":"Bearer","expires_in":60,"scope":"read write",...}
 * }
 * }</pre>
 *
 * <p>Thread-safe. Time (rate-limit windows, {@code Date}, journal arrival, scripted spans, token
 * lifetimes) comes only from the injected {@link Clock}; scripted delays are real time.
 */
public final class AssignrSimulator implements AutoCloseable {

  /** Assignr's media type, for {@code Accept} and {@code Content-Type}. */
  public static final String MEDIA_TYPE = AssignrApiFilter.HAL_JSON;

  private final Builder settings;
  private final Clock clock;
  private final FixedWindowRateLimiter limiter;
  private final SimulatedAccount account;
  private final ScriptStore scripts = new ScriptStore();
  private final JournalStore journalStore;
  private final StatsCounters stats = new StatsCounters();
  private final AssignrApiFilter filter;
  private final RequestJournal journal;
  private final FaultScript script;
  private final TokenStore tokens = new TokenStore();
  private final ScriptStore tokenScripts = new ScriptStore();
  private final OAuthTokenFilter tokenFilter;
  private final TokenScript tokenScript;
  private WireMockServer server;
  private WireMockServer tokenServer;

  private AssignrSimulator(Builder b) {
    this.settings = b.copy();
    this.clock = b.clock;
    this.limiter = new FixedWindowRateLimiter(b.rateLimits);
    this.account = new SimulatedAccount(b.sites, b.gamesPerSite, b.unpaidSites, b.forbiddenSites,
        b.defaultPageSize);
    this.journalStore = new JournalStore(b.journalCapacity);
    this.filter = new AssignrApiFilter(clock, b.token, b.requireIssuedTokens, tokens, b.httpsOnly,
        b.retryAfter, limiter, account, scripts, journalStore, stats);
    this.journal = new RequestJournal(journalStore);
    this.script = new FaultScript(scripts, clock);
    this.tokenFilter = b.oauthClients.isEmpty() ? null
        : new OAuthTokenFilter(clock, b.oauthClients, b.tokenLifetime.toMillis(), b.httpsOnly,
            tokens, tokenScripts, stats, b.journalCapacity);
    this.tokenScript = new TokenScript(tokenScripts, clock);
  }

  /**
   * A builder with Assignr's defaults: the three real rate-limit rules on the system clock, any
   * non-empty Bearer token, one site (id 1) with 120 games, page size 25, plain HTTP, no OAuth
   * token endpoint.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Starts the embedded WireMock server on random ports, and the OAuth token endpoint's server
   * when a client is registered.
   *
   * @return this simulator
   * @throws IllegalStateException if already started
   */
  public synchronized AssignrSimulator start() {
    if (server != null) {
      throw new IllegalStateException("simulator already started");
    }
    WireMockConfiguration options = options(filter);
    settings.wireMockOptions.accept(options);
    WireMockServer started = new WireMockServer(options);
    started.start();
    if (settings.https) {
      filter.httpsPort(started.httpsPort());
    }
    if (tokenFilter != null) {
      WireMockServer tokenStarted = new WireMockServer(options(tokenFilter));
      try {
        tokenStarted.start();
      } catch (RuntimeException e) {
        started.stop();
        throw e;
      }
      if (settings.https) {
        tokenFilter.httpsPort(tokenStarted.httpsPort());
      }
      tokenServer = tokenStarted;
    }
    server = started;
    return this;
  }

  private WireMockConfiguration options(Extension extension) {
    WireMockConfiguration options = WireMockConfiguration.options()
        .dynamicPort()
        .extensions(extension)
        .notifier(new Slf4jNotifier(false))
        .jettyAcceptors(1)
        // Plain HTTP is HTTP/1.1 only, as on Assignr (HTTP/2 comes with TLS): the JDK client's h2c
        // upgrade to WireMock's Jetty loses streams under load (a warm-up GET through Spring 6's
        // JdkClientHttpRequestFactory went unanswered until Jetty's 30 s idle timeout, twice).
        .http2PlainDisabled(true)
        .disableRequestJournal();
    if (settings.https) {
      options.dynamicHttpsPort()
          .keystorePath(SimulatorTls.keystoreUrl())
          .keystoreType(SimulatorTls.KEYSTORE_TYPE)
          .keystorePassword(SimulatorTls.KEYSTORE_PASSWORD)
          .keyManagerPassword(SimulatorTls.KEYSTORE_PASSWORD);
    }
    return options;
  }

  /** Stops the servers, if running. Idempotent. */
  @Override
  public synchronized void close() {
    if (tokenServer != null) {
      tokenServer.stop();
      tokenServer = null;
    }
    if (server != null) {
      server.stop();
      server = null;
    }
  }

  /**
   * Whether the embedded server is running.
   *
   * @return true between {@link #start()} and {@link #close()}
   */
  public synchronized boolean isRunning() {
    return server != null && server.isRunning();
  }

  /**
   * The API base URL clients should use: {@link #httpsBaseUrl()} when HTTPS is enabled, else
   * {@link #httpBaseUrl()}.
   *
   * @return e.g. {@code https://localhost:54321/api/v2}
   */
  public String baseUrl() {
    return settings.https ? httpsBaseUrl() : httpBaseUrl();
  }

  /**
   * The plain-HTTP API base URL (in HTTPS-only mode every request to it gets 302).
   *
   * @return e.g. {@code http://localhost:54320/api/v2}
   */
  public String httpBaseUrl() {
    return "http://localhost:" + port() + AssignrApiFilter.API_PREFIX;
  }

  /**
   * The HTTPS API base URL; its certificate is trusted by {@link #sslContext()}.
   *
   * @return e.g. {@code https://localhost:54321/api/v2}
   * @throws IllegalStateException if HTTPS is not enabled or the server is not started
   */
  public String httpsBaseUrl() {
    return "https://localhost:" + httpsPort() + AssignrApiFilter.API_PREFIX;
  }

  /**
   * The plain-HTTP port.
   *
   * @return the port
   * @throws IllegalStateException if not started
   */
  public int port() {
    return running().port();
  }

  /**
   * The HTTPS port.
   *
   * @return the port
   * @throws IllegalStateException if HTTPS is not enabled or not started
   */
  public int httpsPort() {
    if (!settings.https) {
      throw new IllegalStateException("HTTPS is not enabled; use builder().https(true)");
    }
    return running().httpsPort();
  }

  /**
   * The OAuth token endpoint, on its own server: on HTTPS when HTTPS is enabled, else on plain
   * HTTP. In {@linkplain Builder#httpsOnly(boolean) HTTPS-only} mode its plain-HTTP port answers
   * 302 like the API's.
   *
   * @return e.g. {@code https://localhost:54330/oauth/token}
   * @throws IllegalStateException if no OAuth client is registered or the simulator is not started
   */
  public URI tokenUri() {
    WireMockServer running = runningTokenServer();
    return URI.create((settings.https ? "https" : "http") + "://localhost:"
        + (settings.https ? running.httpsPort() : running.port()) + OAuthTokenFilter.TOKEN_PATH);
  }

  /**
   * The plain-HTTP URI of the OAuth token endpoint, whether or not HTTPS is enabled.
   *
   * @return e.g. {@code http://localhost:54329/oauth/token}
   * @throws IllegalStateException if no OAuth client is registered or the simulator is not started
   */
  public URI httpTokenUri() {
    return URI.create("http://localhost:" + runningTokenServer().port()
        + OAuthTokenFilter.TOKEN_PATH);
  }

  /**
   * The requests the OAuth token endpoint received, oldest first (the most recent
   * {@code journalCapacity}; {@link SimulatorStats#tokenRequests()} counts them all). Never holds
   * a client secret or an access token.
   *
   * @return an immutable snapshot; empty without a registered client
   */
  public List<TokenRequest> tokenRequests() {
    return tokenFilter == null ? List.of() : tokenFilter.journal();
  }

  /**
   * The fault script of the OAuth token endpoint.
   *
   * @return the script
   */
  public TokenScript tokenScript() {
    return tokenScript;
  }

  /**
   * Ends the lifetime of every access token issued so far, now: with
   * {@link Builder#requireIssuedTokens(boolean)} the API answers 401 ({@code error="invalid_token"},
   * "The access token expired") to each of them, until the client fetches a new one.
   *
   * @return how many tokens were still valid
   */
  public int expireAllTokens() {
    return tokens.expireAll(clock.millis());
  }

  /**
   * Access tokens still valid on the simulator clock, for assertions.
   *
   * @return the count
   */
  public int activeTokens() {
    return tokens.active(clock.millis());
  }

  /**
   * The embedded WireMock server, e.g. to stub paths outside {@code /api/v2}.
   *
   * @return the server
   * @throws IllegalStateException if not started
   */
  public WireMockServer wireMock() {
    return running();
  }

  /**
   * The WireMock extension (a stub request filter) that implements the simulator, to register in
   * a WireMock server of your own: {@code options().extensions(sim.wireMockExtension())}. Register
   * it in one server only.
   *
   * @return the extension
   */
  public Extension wireMockExtension() {
    return filter;
  }

  /**
   * The request journal.
   *
   * @return the journal
   */
  public RequestJournal journal() {
    return journal;
  }

  /**
   * The fault script.
   *
   * @return the script
   */
  public FaultScript script() {
    return script;
  }

  /**
   * Counters since start or the last {@link #reset()}.
   *
   * @return a snapshot
   */
  public SimulatorStats stats() {
    return stats.snapshot();
  }

  /**
   * The simulator's clock.
   *
   * @return the injected clock
   */
  public Clock clock() {
    return clock;
  }

  /**
   * Current {@code lock_version} of a game, for assertions.
   *
   * @param gameId game id
   * @return its lock_version, or -1 if there is no such game
   */
  public long lockVersion(long gameId) {
    return account.lockVersion(gameId);
  }

  /**
   * A game's attribute as text, for assertions.
   *
   * @param gameId game id
   * @param name attribute name, e.g. {@code "venue"} or {@code "notes"}
   * @return its value as text, or null when the game or the attribute does not exist
   */
  public String gameAttribute(long gameId, String name) {
    return account.gameAttribute(gameId, name);
  }

  /**
   * A competing editor: another user edits game {@code gameId} right after each of its next
   * {@code reads} reads ({@code GET /games/{id}}), so the copy the reader holds is stale and its
   * next {@code PUT} gets 409, however fast it is. Edit k sets the game's {@code notes} to
   * {@code "Edited by another user (k)"} and bumps its {@code lock_version}; a client that loses
   * the other user's change shows in {@link #gameAttribute(long, String)}. Calls add up.
   *
   * <pre>{@code
   * sim.competingEditor(1001, 2);   // the next 2 reads of game 1001 are each overtaken by an edit
   * }</pre>
   *
   * @param gameId game id
   * @param reads how many of the next reads are each followed by an edit, at least 1
   */
  public void competingEditor(long gameId, int reads) {
    if (reads < 1) {
      throw new IllegalArgumentException("reads must be at least 1, was " + reads);
    }
    account.competingEditor(gameId, reads);
  }

  /**
   * Every {@code PUT /games/{id}} the API model processed since the start (or {@link #reset()}),
   * in order, with the {@code lock_version} sent and the one the game had.
   *
   * @return the writes, oldest first
   */
  public List<GameWrite> gameWrites() {
    return account.gameWrites();
  }

  /**
   * Number of games in a site, for assertions.
   *
   * @param siteId site id
   * @return the number of games
   */
  public int gameCount(long siteId) {
    return account.gameCount(siteId);
  }

  /**
   * Restores the freshly started state: seed data, rate-limit counters, no scripted rules, an
   * empty journal, zero stats, no issued tokens (tokens issued before are then unknown) and an
   * empty token journal. The servers keep running on the same ports.
   */
  public void reset() {
    scripts.clear();
    limiter.reset();
    account.reset();
    journalStore.clear();
    stats.reset();
    tokenScripts.clear();
    tokens.clear();
    if (tokenFilter != null) {
      tokenFilter.clearJournal();
    }
  }

  /** Forgets all rate-limit counts, as if no request had arrived in the current windows. */
  public void resetRateLimits() {
    limiter.reset();
  }

  /**
   * A TLS context trusting exactly the simulator's self-signed certificate, for
   * {@code HttpClient.newBuilder().sslContext(...)} or OkHttp's {@code sslSocketFactory}.
   *
   * @return a new context
   */
  public SSLContext sslContext() {
    return SimulatorTls.sslContext();
  }

  /**
   * A trust manager trusting exactly the simulator's certificate (OkHttp needs it with
   * {@code sslSocketFactory(sim.sslContext().getSocketFactory(), sim.trustManager())}).
   *
   * @return the trust manager
   */
  public X509TrustManager trustManager() {
    return SimulatorTls.trustManager();
  }

  /**
   * The self-signed certificate served on HTTPS: {@code CN=localhost}, subject alternative names
   * {@code localhost}, {@code 127.0.0.1} and {@code ::1}, so default hostname verification passes.
   * (WireMock's own bundled certificate has no alternative names, which {@code java.net.http}
   * rejects; this one is just as self-signed.)
   *
   * @return the certificate
   */
  public X509Certificate certificate() {
    return SimulatorTls.certificate();
  }

  private synchronized WireMockServer running() {
    if (server == null) {
      throw new IllegalStateException("simulator not started; call start()");
    }
    return server;
  }

  private synchronized WireMockServer runningTokenServer() {
    if (tokenFilter == null) {
      throw new IllegalStateException(
          "no OAuth token endpoint: register a client with builder().oauthClient(id, secret)");
    }
    running();
    return tokenServer;
  }

  /**
   * Configures a simulator. Setters only store; {@link #build()} validates every value and names
   * the offending parameter.
   */
  public static final class Builder {
    private Clock clock = Clock.systemUTC();
    private List<RateLimitRule> rateLimits = RateLimitRule.assignrDefaults();
    private String token;
    private int sites = 1;
    private int gamesPerSite = 120;
    private Set<Long> unpaidSites = Set.of();
    private Set<Long> forbiddenSites = Set.of();
    private int defaultPageSize = 25;
    private boolean https;
    private boolean httpsOnly;
    private boolean retryAfter;
    private int journalCapacity = 100_000;
    private Consumer<WireMockConfiguration> wireMockOptions = o -> { };
    private List<Map.Entry<String, String>> oauthClientList = new ArrayList<>();
    private Map<String, String> oauthClients = Map.of();
    private Duration tokenLifetime = Duration.ofSeconds(7200);
    private boolean requireIssuedTokens;

    private Builder() {}

    private Builder copy() {
      Builder b = new Builder();
      b.clock = clock;
      b.rateLimits = rateLimits;
      b.token = token;
      b.sites = sites;
      b.gamesPerSite = gamesPerSite;
      b.unpaidSites = unpaidSites;
      b.forbiddenSites = forbiddenSites;
      b.defaultPageSize = defaultPageSize;
      b.https = https;
      b.httpsOnly = httpsOnly;
      b.retryAfter = retryAfter;
      b.journalCapacity = journalCapacity;
      b.wireMockOptions = wireMockOptions;
      b.oauthClientList = new ArrayList<>(oauthClientList);
      b.oauthClients = oauthClients;
      b.tokenLifetime = tokenLifetime;
      b.requireIssuedTokens = requireIssuedTokens;
      return b;
    }

    /**
     * The clock for rate-limit windows, {@code Date} headers, journal times and scripted spans.
     * Default {@link Clock#systemUTC()}.
     *
     * @param clock e.g. a {@link VirtualTime#clock()}
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    /**
     * The rate-limit rules, all applied at once. Default {@link RateLimitRule#assignrDefaults()}.
     * No rules means no rate limiting and no rate-limit headers.
     *
     * @param rules the rules
     * @return this builder
     */
    public Builder rateLimits(List<RateLimitRule> rules) {
      this.rateLimits = rules;
      return this;
    }

    /**
     * The rate-limit rules, all applied at once.
     *
     * @param rules the rules
     * @return this builder
     */
    public Builder rateLimits(RateLimitRule... rules) {
      return rateLimits(Arrays.asList(rules));
    }

    /**
     * The only Bearer token accepted. Default: any non-empty Bearer token.
     *
     * @param token the token
     * @return this builder
     */
    public Builder token(String token) {
      this.token = token;
      return this;
    }

    /**
     * Number of seeded sites, ids 1..n. Default 1.
     *
     * @param sites at least 0
     * @return this builder
     */
    public Builder sites(int sites) {
      this.sites = sites;
      return this;
    }

    /**
     * Number of seeded games per site. Default 120.
     *
     * @param games at least 0
     * @return this builder
     */
    public Builder gamesPerSite(int games) {
      this.gamesPerSite = games;
      return this;
    }

    /**
     * Sites without an active subscription: their endpoints answer 402.
     *
     * @param siteIds site ids
     * @return this builder
     */
    public Builder unpaidSites(Long... siteIds) {
      this.unpaidSites = new LinkedHashSet<>(Arrays.asList(siteIds));
      return this;
    }

    /**
     * Sites the token may not access: their endpoints answer 403.
     *
     * @param siteIds site ids
     * @return this builder
     */
    public Builder forbiddenSites(Long... siteIds) {
      this.forbiddenSites = new LinkedHashSet<>(Arrays.asList(siteIds));
      return this;
    }

    /**
     * Page size when a collection request has no {@code limit}. Default 25; at most 50.
     *
     * @param limit 1..50
     * @return this builder
     */
    public Builder defaultPageSize(int limit) {
      this.defaultPageSize = limit;
      return this;
    }

    /**
     * Also listen on a random HTTPS port with the simulator's self-signed localhost certificate.
     * Default false.
     *
     * @param https whether to enable HTTPS
     * @return this builder
     */
    public Builder https(boolean https) {
      this.https = https;
      return this;
    }

    /**
     * Like Assignr, answer plain-HTTP requests with 302 to the HTTPS URL. Implies
     * {@link #https(boolean) https(true)}. Default false.
     *
     * @param httpsOnly whether to redirect plain HTTP
     * @return this builder
     */
    public Builder httpsOnly(boolean httpsOnly) {
      this.httpsOnly = httpsOnly;
      return this;
    }

    /**
     * Also send {@code Retry-After} (delta-seconds, rounded up) on rate-limit 429s. Assignr does
     * not; default false.
     *
     * @param retryAfter whether to send it
     * @return this builder
     */
    public Builder retryAfter(boolean retryAfter) {
      this.retryAfter = retryAfter;
      return this;
    }

    /**
     * How many recent journal entries to keep. Default 100,000.
     *
     * @param capacity at least 1
     * @return this builder
     */
    public Builder journalCapacity(int capacity) {
      this.journalCapacity = capacity;
      return this;
    }

    /**
     * Registers an OAuth client of the token endpoint; call once per client. With at least one
     * client, {@link AssignrSimulator#start()} also starts the endpoint
     * ({@link AssignrSimulator#tokenUri()}).
     *
     * @param clientId the {@code client_id}, not blank, unique
     * @param clientSecret the {@code client_secret}, not blank
     * @return this builder
     */
    public Builder oauthClient(String clientId, String clientSecret) {
      oauthClientList.add(new AbstractMap.SimpleImmutableEntry<>(clientId, clientSecret));
      return this;
    }

    /**
     * How long issued access tokens live on the simulator clock; the token answer's
     * {@code expires_in}. Default 7200 s, as Assignr's. Short lifetimes with a test clock let a
     * test or a demo watch tokens expire.
     *
     * @param lifetime whole seconds, 1 s to 3650 days
     * @return this builder
     */
    public Builder tokenLifetime(Duration lifetime) {
      this.tokenLifetime = lifetime;
      return this;
    }

    /**
     * Makes the API accept only Bearer tokens the token endpoint issued and that have not expired:
     * any other token, an expired one, or none gets 401. Needs a registered
     * {@link #oauthClient(String, String) client}; excludes {@link #token(String)}. Default false:
     * any non-empty Bearer token is accepted.
     *
     * @param require whether to enforce issued tokens
     * @return this builder
     */
    public Builder requireIssuedTokens(boolean require) {
      this.requireIssuedTokens = require;
      return this;
    }

    /**
     * Adjusts the embedded server's WireMock options (e.g. {@code containerThreads}) after the
     * simulator's own settings. Applies to the API's server only, not to the token endpoint's.
     *
     * @param customizer called once per start
     * @return this builder
     */
    public Builder wireMockOptions(Consumer<WireMockConfiguration> customizer) {
      this.wireMockOptions = customizer;
      return this;
    }

    /**
     * Validates and builds an unstarted simulator.
     *
     * @return the simulator
     * @throws IllegalArgumentException naming the first invalid parameter
     */
    public AssignrSimulator build() {
      Objects.requireNonNull(clock, "clock");
      Objects.requireNonNull(wireMockOptions, "wireMockOptions");
      Objects.requireNonNull(rateLimits, "rateLimits");
      List<RateLimitRule> rules = new ArrayList<>();
      for (RateLimitRule rule : rateLimits) {
        rules.add(Objects.requireNonNull(rule, "rateLimits contains null"));
      }
      rateLimits = List.copyOf(rules);
      if (token != null && token.isBlank()) {
        throw new IllegalArgumentException("token must not be blank; use null for any token");
      }
      check("sites", sites, 0, 100_000);
      check("gamesPerSite", gamesPerSite, 0, 1_000_000);
      check("defaultPageSize", defaultPageSize, 1, 50);
      check("journalCapacity", journalCapacity, 1, Integer.MAX_VALUE);
      unpaidSites = Set.copyOf(unpaidSites);
      forbiddenSites = Set.copyOf(forbiddenSites);
      Map<String, String> clients = new LinkedHashMap<>();
      for (Map.Entry<String, String> client : oauthClientList) {
        if (client.getKey() == null || client.getKey().isBlank()) {
          throw new IllegalArgumentException("oauthClient clientId must not be blank");
        }
        if (client.getValue() == null || client.getValue().isBlank()) {
          throw new IllegalArgumentException(
              "oauthClient clientSecret must not be blank, for client " + client.getKey());
        }
        if (clients.put(client.getKey(), client.getValue()) != null) {
          throw new IllegalArgumentException(
              "oauthClient clientId registered twice: " + client.getKey());
        }
      }
      oauthClients = Map.copyOf(clients);
      Objects.requireNonNull(tokenLifetime, "tokenLifetime");
      if (tokenLifetime.compareTo(Duration.ofSeconds(1)) < 0
          || tokenLifetime.compareTo(Duration.ofDays(3650)) > 0 || tokenLifetime.getNano() != 0) {
        throw new IllegalArgumentException(
            "tokenLifetime must be whole seconds in [1 s, 3650 days], was " + tokenLifetime);
      }
      if (requireIssuedTokens && oauthClients.isEmpty()) {
        throw new IllegalArgumentException(
            "requireIssuedTokens needs an oauthClient(id, secret) to issue tokens");
      }
      if (requireIssuedTokens && token != null) {
        throw new IllegalArgumentException(
            "token(...) and requireIssuedTokens(true) exclude each other");
      }
      if (httpsOnly) {
        https = true;
      }
      return new AssignrSimulator(this);
    }

    /**
     * Builds and {@linkplain AssignrSimulator#start() starts} a simulator.
     *
     * @return the running simulator; close it when done
     */
    public AssignrSimulator start() {
      return build().start();
    }

    private static void check(String name, int value, int min, int max) {
      if (value < min || value > max) {
        throw new IllegalArgumentException(
            name + " must be in [" + min + ", " + max + "], was " + value);
      }
    }
  }
}
