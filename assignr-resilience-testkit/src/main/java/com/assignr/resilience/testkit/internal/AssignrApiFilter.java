package com.assignr.resilience.testkit.internal;

import com.assignr.resilience.testkit.JournalEntry;
import com.assignr.resilience.testkit.ScriptedResponse;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.requestfilter.RequestFilterAction;
import com.github.tomakehurst.wiremock.extension.requestfilter.StubRequestFilterV2;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.http.HttpHeader;
import com.github.tomakehurst.wiremock.http.HttpHeaders;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The WireMock extension: a stub request filter that answers every request under
 * {@code /api/v2} as Assignr would, and lets everything else through to WireMock's own stubs.
 *
 * <h2>Order of decisions for one request</h2>
 *
 * <ol>
 *   <li>HTTPS-only mode and a plain-HTTP request: 302 to the same URL on the HTTPS port. Not
 *       counted against the quota (the redirect happens before the API).
 *   <li>{@link ScriptStore scripted rules}: a connection fault breaks the connection and is not
 *       counted (the request never reached the API); a scripted response is counted against the
 *       quota if quota is left, except a scripted 429, which, like a real one, is not.
 *   <li>Rate limits: 429 with {@code X-Ratelimit-Remaining: 0} if any rule is exhausted; otherwise
 *       the request is counted — whatever its fate below (401, 404, 422... all count).
 *   <li>Authentication: 401 without {@code Authorization: Bearer <token>}; with
 *       {@code requireIssuedTokens}, also for a token the {@link OAuthTokenFilter token endpoint}
 *       did not issue or that has expired ({@code error="invalid_token"} in the challenge).
 *   <li>The {@link SimulatedAccount API model}.
 *   <li>A scripted {@link ScriptStore.AfterProcessing break}, if step 2 chose one: the answer
 *       steps 3 to 5 decided (and whatever the model did to the account) stands, but the client
 *       gets no byte of it (close or reset) or only part of its body.
 * </ol>
 *
 * <p>Every response carries the rate-limit headers of the binding rule and a {@code Date} on the
 * simulator's clock; scripted delays are added to whatever response is chosen.
 */
public final class AssignrApiFilter implements StubRequestFilterV2 {

  /** The extension's name in WireMock. */
  public static final String NAME = "assignr-api-simulator";
  /** Assignr's media type. */
  public static final String HAL_JSON = "application/vnd.assignr.v2.hal+json";
  /** The path prefix the simulator owns. */
  public static final String API_PREFIX = "/api/v2";

  private static final DateTimeFormatter HTTP_DATE =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US)
          .withZone(ZoneOffset.UTC);

  private final Clock clock;
  private final String token;
  private final boolean requireIssuedTokens;
  private final TokenStore tokens;
  private final boolean httpsOnly;
  private final boolean retryAfter;
  private final FixedWindowRateLimiter limiter;
  private final SimulatedAccount account;
  private final ScriptStore scripts;
  private final JournalStore journal;
  private final StatsCounters stats;
  private volatile int httpsPort = -1;

  /**
   * Creates the filter.
   *
   * @param clock the simulator clock
   * @param token the only Bearer token accepted, or null for any
   * @param requireIssuedTokens accept only unexpired tokens from {@code tokens}
   * @param tokens tokens the token endpoint issued
   * @param httpsOnly whether plain HTTP is redirected
   * @param retryAfter whether rate-limit 429s carry Retry-After
   * @param limiter the rate limiter
   * @param account the API model
   * @param scripts the API's rules
   * @param journal the request journal
   * @param stats the simulator's counters
   */
  public AssignrApiFilter(Clock clock, String token, boolean requireIssuedTokens,
      TokenStore tokens, boolean httpsOnly, boolean retryAfter,
      FixedWindowRateLimiter limiter, SimulatedAccount account, ScriptStore scripts,
      JournalStore journal, StatsCounters stats) {
    this.clock = clock;
    this.token = token;
    this.requireIssuedTokens = requireIssuedTokens;
    this.tokens = tokens;
    this.httpsOnly = httpsOnly;
    this.retryAfter = retryAfter;
    this.limiter = limiter;
    this.account = account;
    this.scripts = scripts;
    this.journal = journal;
    this.stats = stats;
  }

  /** Sets the port HTTPS redirects point to; -1 for the default port. */
  public void httpsPort(int port) {
    this.httpsPort = port;
  }

  @Override
  public String getName() {
    return NAME;
  }

  @Override
  public RequestFilterAction filter(Request request, ServeEvent serveEvent) {
    String url = request.getUrl();
    int q = url.indexOf('?');
    String path = q < 0 ? url : url.substring(0, q);
    String query = q < 0 ? "" : url.substring(q + 1);
    if (!path.equals(API_PREFIX) && !path.startsWith(API_PREFIX + "/")) {
      return RequestFilterAction.continueWith(request);
    }
    long now = clock.millis();
    long sequence = journal.nextSequence();
    stats.total.increment();
    String method = request.getMethod().getName().toUpperCase(Locale.ROOT);
    String scheme = request.getScheme() == null ? "http" : request.getScheme();

    Served served = serve(request, method, scheme, path, query, now);

    if (served.fault != null || served.truncated) {
      stats.connectionFaults.increment();
    }
    if (served.fault == null) {
      stats.served(served.status);
    }
    journal.add(new JournalEntry(sequence, method, scheme, path, query, Instant.ofEpochMilli(now),
        served.status, served.fault, acceptValid(request), authorizationPresent(request),
        served.scripted, served.delayMillis, served.apiStatus, served.truncated, request.getHeader("Content-Type")));
    return RequestFilterAction.stopWith(served.definition());
  }

  /**
   * What one request gets.
   *
   * @param status the status sent, 0 when no response byte is sent
   * @param headers the headers sent, or null with a fault
   * @param body the body bytes sent, or null for none
   * @param fault a connection fault instead of a response
   * @param scripted whether a script rule chose or broke the answer
   * @param delayMillis scripted delay
   * @param apiStatus the API model's status when it processed the request, else 0
   * @param truncated whether {@code body} is shorter than the declared Content-Length
   */
  private record Served(int status, Headers headers, byte[] body, Fault fault, boolean scripted,
      long delayMillis, int apiStatus, boolean truncated) {

    static Served fault(Fault fault, long delay, int apiStatus) {
      return new Served(0, null, null, fault, true, delay, apiStatus, false);
    }

    ResponseDefinition definition() {
      ResponseDefinitionBuilder def = fault != null
          ? ResponseDefinitionBuilder.responseDefinition().withFault(fault)
          : response(status, headers, body);
      if (delayMillis > 0) {
        def = def.withFixedDelay((int) Math.min(Integer.MAX_VALUE, delayMillis));
      }
      return def.build();
    }
  }

  private Served serve(Request request, String method, String scheme, String path, String query,
      long now) {
    if (httpsOnly && !"https".equalsIgnoreCase(scheme)) {
      FixedWindowRateLimiter.Decision peek = limiter.acquire(now, false);
      Headers headers = baseHeaders(peek, now, false);
      int port = httpsPort;
      headers.set("Location",
          "https://" + request.getHost() + (port > 0 ? ":" + port : "") + request.getUrl());
      return new Served(302, headers, null, null, false, 0, 0, false);
    }

    ScriptStore.Outcome script = scripts.evaluate(method, path, now);
    long delay = script.delayMillis();
    if (script.terminal() instanceof ScriptStore.Inject inject) {
      return Served.fault(inject.fault(), delay, 0);
    }
    if (script.terminal() instanceof ScriptStore.Respond respond) {
      return scripted(respond.response(), now, delay);
    }
    Served answer = answer(request, method, scheme, path, query, now, delay);
    if (script.terminal() instanceof ScriptStore.AfterProcessing after) {
      return breakAnswer(answer, after);
    }
    return answer;
  }

  private Served scripted(ScriptedResponse scripted, long now, long delay) {
    boolean is429 = scripted.statusCode() == 429;
    FixedWindowRateLimiter.Decision decision = limiter.acquire(now, !is429);
    if (decision.admitted() && !is429) {
      stats.admitted.increment();
    }
    Headers headers = scripted.rateLimitHeaders()
        ? baseHeaders(decision, now, is429)
        : dateOnly(now);
    for (String removed : scripted.removedHeaders()) {
      headers.remove(removed);
    }
    Map<String, List<String>> overrides = new LinkedHashMap<>();
    for (Map.Entry<String, String> h : scripted.headers()) {
      overrides.computeIfAbsent(h.getKey(), k -> new ArrayList<>()).add(h.getValue());
    }
    overrides.forEach(headers::set);
    byte[] body = scripted.bodyBytes();
    return new Served(scripted.statusCode(), headers, body.length == 0 ? null : body, null, true,
        delay, 0, false);
  }

  /** Steps 3 to 5: the rate limiter, authentication, the API model. */
  private Served answer(Request request, String method, String scheme, String path, String query,
      long now, long delay) {
    FixedWindowRateLimiter.Decision decision = limiter.acquire(now, true);
    if (!decision.admitted()) {
      Headers headers = baseHeaders(decision, now, true);
      if (retryAfter) {
        headers.set("Retry-After",
            Long.toString((decision.millisUntilReset() + 999) / 1000));
      }
      return json(SimulatedAccount.error(429, "Rate limit exceeded: " + decision.limit()
          + " requests per " + decision.periodSeconds() + " s; retry in "
          + decision.secondsRemaining() + " s"), headers, delay, false);
    }
    stats.admitted.increment();
    Headers headers = baseHeaders(decision, now, false);
    Refusal refusal = bearerRefusal(request, now);
    if (refusal != null) {
      headers.set("WWW-Authenticate", refusal.challenge());
      return json(SimulatedAccount.error(401, refusal.message()), headers, delay, false);
    }
    String base = scheme + "://" + request.getHost() + ":" + request.getPort() + API_PREFIX;
    Map<String, String> params = parseQuery(query);
    SimulatedAccount.ApiResponse api = account.handle(method,
        path.substring(API_PREFIX.length()), params::get, request.getBody(), base);
    api.headers().forEach(headers::set);
    return json(api, headers, delay, true);
  }

  /**
   * Breaks an answer the simulator has already decided (and, when the API model processed the
   * request, acted on). A truncated answer keeps its status and headers but declares the whole
   * body's Content-Length and sends only part of it; Jetty then closes the connection because the
   * content is short. {@code Content-Encoding: identity} keeps WireMock's gzip handler away, which
   * would otherwise re-encode the body as a complete chunked stream for clients that send
   * {@code Accept-Encoding: gzip} (OkHttp does by default).
   */
  private static Served breakAnswer(Served answer, ScriptStore.AfterProcessing after) {
    switch (after.how()) {
      case CLOSE:
        return Served.fault(Fault.EMPTY_RESPONSE, answer.delayMillis, answer.apiStatus);
      case RESET:
        return Served.fault(Fault.CONNECTION_RESET_BY_PEER, answer.delayMillis, answer.apiStatus);
      case TRUNCATE:
      default:
        byte[] full = answer.body == null ? new byte[0] : answer.body;
        int declared = Math.max(1, full.length);
        int sent = after.bodyBytes() < 0 ? full.length / 2
            : Math.min(after.bodyBytes(), declared - 1);
        Headers headers = answer.headers;
        headers.set("Content-Length", Integer.toString(declared));
        headers.set("Content-Encoding", "identity");
        return new Served(answer.status, headers, Arrays.copyOf(full, sent), null, true,
            answer.delayMillis, answer.apiStatus, true);
    }
  }

  private static Served json(SimulatedAccount.ApiResponse api, Headers headers, long delay,
      boolean processed) {
    byte[] body = null;
    if (api.body() != null) {
      headers.set("Content-Type", HAL_JSON + "; charset=utf-8");
      body = SimulatedAccount.bytes(api.body());
    }
    return new Served(api.status(), headers, body, null, false, delay,
        processed ? api.status() : 0, false);
  }

  private static ResponseDefinitionBuilder response(int status, Headers headers, byte[] body) {
    ResponseDefinitionBuilder def = ResponseDefinitionBuilder.responseDefinition()
        .withStatus(status)
        .withHeaders(headers.toWireMock());
    if (body != null) {
      def = def.withBody(body);
    }
    return def;
  }

  private Headers dateOnly(long now) {
    Headers headers = new Headers();
    headers.set("Date", httpDate(now));
    return headers;
  }

  /** An HTTP-date ({@code IMF-fixdate}) for epoch millis. */
  static String httpDate(long epochMillis) {
    return HTTP_DATE.format(Instant.ofEpochMilli(epochMillis));
  }

  private Headers baseHeaders(FixedWindowRateLimiter.Decision d, long now, boolean limited) {
    Headers headers = dateOnly(now);
    if (limiter.enabled()) {
      headers.set("X-Ratelimit-Limit", Long.toString(d.limit()));
      headers.set("X-Ratelimit-Period", Long.toString(d.periodSeconds()));
      headers.set("X-Ratelimit-Remaining", limited ? "0" : Long.toString(d.remaining()));
      headers.set("X-Ratelimit-Reset", Long.toString(d.resetEpochSeconds()));
      headers.set("X-Ratelimit-Reset-Seconds-Remaining", Long.toString(d.secondsRemaining()));
    }
    return headers;
  }

  /** A 401's message and {@code WWW-Authenticate} challenge. */
  private record Refusal(String message, String challenge) {}

  /**
   * Why the request's Bearer token is refused: {@code null} when it is accepted, else the message
   * and the {@code WWW-Authenticate} challenge (RFC 6750 §3) to send with the 401. Without a
   * configured token any non-empty Bearer token passes; with {@code requireIssuedTokens} only one
   * the token endpoint issued and that has not expired.
   */
  private Refusal bearerRefusal(Request request, long now) {
    Refusal missing = new Refusal("Unauthorized: a valid Bearer token is required",
        "Bearer realm=\"Assignr\"");
    String value = request.getHeader("Authorization");
    if (value == null) {
      return missing;
    }
    value = value.trim();
    if (value.length() < 7 || !value.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return missing;
    }
    String sent = value.substring(7).trim();
    if (sent.isEmpty()) {
      return missing;
    }
    if (requireIssuedTokens) {
      TokenStore.Check check = tokens.check(sent, now);
      if (check == TokenStore.Check.VALID) {
        return null;
      }
      String why = check == TokenStore.Check.EXPIRED
          ? "The access token expired" : "The access token is invalid";
      return new Refusal("Unauthorized: " + why, "Bearer realm=\"Assignr\", "
          + "error=\"invalid_token\", error_description=\"" + why + "\"");
    }
    return token == null || token.equals(sent) ? null : missing;
  }

  private static boolean authorizationPresent(Request request) {
    String value = request.getHeader("Authorization");
    return value != null && !value.isBlank();
  }

  private static boolean acceptValid(Request request) {
    HttpHeader accept = request.getHeaders().getHeader("Accept");
    if (accept == null || !accept.isPresent()) {
      return false;
    }
    for (String value : accept.values()) {
      if (value.toLowerCase(Locale.ROOT).contains(HAL_JSON)) {
        return true;
      }
    }
    return false;
  }

  /** Decodes {@code a=1&b=2} (also a form body); the first value of a name wins. */
  static Map<String, String> parseQuery(String query) {
    Map<String, String> params = new HashMap<>();
    if (query.isEmpty()) {
      return params;
    }
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      String key = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      params.putIfAbsent(URLDecoder.decode(key, StandardCharsets.UTF_8),
          URLDecoder.decode(value, StandardCharsets.UTF_8));
    }
    return params;
  }

  @Override
  public boolean applyToAdmin() {
    return false;
  }

  @Override
  public boolean applyToStubs() {
    return true;
  }

  /** Response headers keyed case-insensitively, in insertion order. */
  private static final class Headers {
    private final Map<String, Map.Entry<String, List<String>>> byLowerName = new LinkedHashMap<>();

    void set(String name, String value) {
      set(name, List.of(value));
    }

    void set(String name, List<String> values) {
      byLowerName.put(name.toLowerCase(Locale.ROOT), Map.entry(name, List.copyOf(values)));
    }

    void remove(String name) {
      byLowerName.remove(name.toLowerCase(Locale.ROOT));
    }

    HttpHeaders toWireMock() {
      List<HttpHeader> list = new ArrayList<>();
      byLowerName.values().forEach(e -> list.add(new HttpHeader(e.getKey(), e.getValue())));
      return new HttpHeaders(list);
    }
  }
}
