package com.assignr.resilience.testkit.internal;

import com.assignr.resilience.testkit.MalformedTokenResponse;
import com.assignr.resilience.testkit.ScriptedResponse;
import com.assignr.resilience.testkit.TokenRequest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.requestfilter.RequestFilterAction;
import com.github.tomakehurst.wiremock.extension.requestfilter.StubRequestFilterV2;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.http.HttpHeader;
import com.github.tomakehurst.wiremock.http.HttpHeaders;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The WireMock extension behind the simulated OAuth 2.0 token endpoint,
 * {@code POST /oauth/token} with the client-credentials grant, as Assignr's Doorkeeper-based
 * server at {@code app.assignr.com} answers it. Other paths fall through to WireMock (404).
 *
 * <h2>Order of decisions for one request</h2>
 *
 * <ol>
 *   <li>HTTPS-only mode and a plain-HTTP request: 302 to the same URL on the HTTPS port.
 *   <li>{@link ScriptStore Scripted rules}: a fault, a scripted response (no token issued), a
 *       delay, or a {@link ScriptStore.Malformed defect} to apply in step 7.
 *   <li>Method other than POST: 405 {@code invalid_request}.
 *   <li>{@code grant_type} missing: 400 {@code invalid_request}; other than
 *       {@code client_credentials}: 400 {@code unsupported_grant_type}.
 *   <li>Client authentication, from HTTP Basic if an {@code Authorization: Basic} header is sent,
 *       else from the {@code client_id} and {@code client_secret} fields: unknown client, missing
 *       or wrong secret: 401 {@code invalid_client} with {@code WWW-Authenticate} (RFC 6749
 *       §5.2). Secrets are compared in constant time.
 *   <li>{@code scope}: each space-separated scope must be {@code read}, {@code write} or
 *       {@code bank}, else 400 {@code invalid_scope}; none requested grants {@code read write}.
 *   <li>A token: 200 with {@code access_token}, {@code token_type: Bearer}, {@code expires_in}
 *       (the configured lifetime), {@code scope}, {@code created_at} (epoch seconds on the
 *       simulator clock), {@code Cache-Control: no-store}; or the scripted defect.
 * </ol>
 *
 * <p>Parameters come from a form body ({@code application/x-www-form-urlencoded}) or a JSON object
 * body (Rails parses both). The journal keeps whether a secret was sent, never the secret or the
 * token.
 */
public final class OAuthTokenFilter implements StubRequestFilterV2 {

  /** The extension's name in WireMock. */
  public static final String NAME = "assignr-oauth-token-endpoint";
  /** The endpoint's path, as at {@code https://app.assignr.com/oauth/token}. */
  public static final String TOKEN_PATH = "/oauth/token";

  private static final Set<String> SCOPES = Set.of("read", "write", "bank");
  private static final String DEFAULT_SCOPE = "read write";
  private static final String JSON_TYPE = "application/json; charset=utf-8";

  private final Clock clock;
  private final Map<String, byte[]> secretsByClient;
  private final long lifetimeMillis;
  private final boolean httpsOnly;
  private final TokenStore tokens;
  private final ScriptStore scripts;
  private final StatsCounters stats;
  private final int journalCapacity;
  private final ArrayDeque<TokenRequest> journal = new ArrayDeque<>();
  private long sequence;
  private volatile int httpsPort = -1;

  /**
   * Creates the filter.
   *
   * @param clock the simulator clock
   * @param clients registered client ids and their secrets
   * @param lifetimeMillis token lifetime, whole seconds
   * @param httpsOnly whether plain HTTP is redirected
   * @param tokens the issued tokens, shared with the API filter
   * @param scripts the token endpoint's rules
   * @param stats the simulator's counters
   * @param journalCapacity how many recent requests to keep
   */
  public OAuthTokenFilter(Clock clock, Map<String, String> clients, long lifetimeMillis,
      boolean httpsOnly, TokenStore tokens, ScriptStore scripts, StatsCounters stats,
      int journalCapacity) {
    this.clock = clock;
    Map<String, byte[]> secrets = new HashMap<>();
    clients.forEach((id, secret) -> secrets.put(id, secret.getBytes(StandardCharsets.UTF_8)));
    this.secretsByClient = Map.copyOf(secrets);
    this.lifetimeMillis = lifetimeMillis;
    this.httpsOnly = httpsOnly;
    this.tokens = tokens;
    this.scripts = scripts;
    this.stats = stats;
    this.journalCapacity = journalCapacity;
  }

  /**
   * Sets the port HTTPS redirects point to.
   *
   * @param port the token server's HTTPS port
   */
  public void httpsPort(int port) {
    this.httpsPort = port;
  }

  /**
   * The token requests received.
   *
   * @return an immutable snapshot, oldest first
   */
  public synchronized List<TokenRequest> journal() {
    List<TokenRequest> copy = new ArrayList<>(journal);
    copy.sort(Comparator.comparingLong(TokenRequest::sequence));
    return List.copyOf(copy);
  }

  /** Forgets the journal; sequence numbers keep counting. */
  public synchronized void clearJournal() {
    journal.clear();
  }

  @Override
  public String getName() {
    return NAME;
  }

  @Override
  public boolean applyToAdmin() {
    return false;
  }

  @Override
  public boolean applyToStubs() {
    return true;
  }

  /** What the client sent, without the secret. */
  private record Params(String clientId, String secret, String grantType, String scope) {}

  /** What one request gets; {@code error} is the OAuth error code or null. */
  private record Answer(int status, Map<String, String> headers, byte[] body, String error,
      Fault fault, boolean scripted, boolean tokenIssued) {}

  @Override
  public RequestFilterAction filter(Request request, ServeEvent serveEvent) {
    String url = request.getUrl();
    int q = url.indexOf('?');
    String path = q < 0 ? url : url.substring(0, q);
    if (!path.equals(TOKEN_PATH)) {
      return RequestFilterAction.continueWith(request);
    }
    long now = clock.millis();
    long seq = nextSequence();
    stats.tokenRequests.increment();
    String method = request.getMethod().getName().toUpperCase(Locale.ROOT);
    String scheme = request.getScheme() == null ? "http" : request.getScheme();
    Params params = params(request);

    ScriptStore.Outcome script = httpsOnly && !"https".equalsIgnoreCase(scheme)
        ? new ScriptStore.Outcome(null, 0) // the redirect comes first and uses up no rule
        : scripts.evaluate(method, path, now);
    Answer answer = answer(request, method, scheme, params, script, now);
    if (answer.tokenIssued) {
      stats.tokensIssued.increment();
    }
    record(new TokenRequest(seq, method, scheme, Instant.ofEpochMilli(now), params.clientId(),
        params.secret() != null && !params.secret().isEmpty(), params.grantType(),
        params.scope(), answer.status, answer.error, answer.fault, answer.scripted,
        script.delayMillis(), answer.tokenIssued));

    ResponseDefinitionBuilder def = ResponseDefinitionBuilder.responseDefinition();
    if (answer.fault != null) {
      def = def.withFault(answer.fault);
    } else {
      List<HttpHeader> headers = new ArrayList<>();
      headers.add(new HttpHeader("Date", AssignrApiFilter.httpDate(now)));
      answer.headers.forEach((name, value) -> headers.add(new HttpHeader(name, value)));
      def = def.withStatus(answer.status).withHeaders(new HttpHeaders(headers));
      if (answer.body != null) {
        def = def.withBody(answer.body);
      }
    }
    if (script.delayMillis() > 0) {
      def = def.withFixedDelay((int) Math.min(Integer.MAX_VALUE, script.delayMillis()));
    }
    return RequestFilterAction.stopWith(def.build());
  }

  private Answer answer(Request request, String method, String scheme, Params params,
      ScriptStore.Outcome script, long now) {
    if (httpsOnly && !"https".equalsIgnoreCase(scheme)) {
      int port = httpsPort;
      return new Answer(302, Map.of("Location", "https://" + request.getHost()
          + (port > 0 ? ":" + port : "") + request.getUrl()), null, null, null, false, false);
    }
    if (script.terminal() instanceof ScriptStore.Inject inject) {
      return new Answer(0, Map.of(), null, null, inject.fault(), true, false);
    }
    if (script.terminal() instanceof ScriptStore.Respond respond) {
      return scripted(respond.response());
    }
    if (!method.equals("POST")) {
      return error(405, "invalid_request", "The token endpoint accepts only POST",
          Map.of("Allow", "POST"));
    }
    if (params.grantType() == null || params.grantType().isEmpty()) {
      return error(400, "invalid_request", "The request is missing a required parameter: "
          + "grant_type", Map.of());
    }
    if (!params.grantType().equals("client_credentials")) {
      return error(400, "unsupported_grant_type",
          "The authorization grant type is not supported by the authorization server.",
          Map.of());
    }
    if (!authenticated(params)) {
      return error(401, "invalid_client", "Client authentication failed due to unknown client, "
          + "no client authentication included, or unsupported authentication method.",
          Map.of("WWW-Authenticate", "Basic realm=\"Assignr\""));
    }
    String scope = params.scope() == null || params.scope().isBlank()
        ? DEFAULT_SCOPE : String.join(" ", params.scope().trim().split("\\s+"));
    for (String s : scope.split(" ")) {
      if (!SCOPES.contains(s)) {
        return error(400, "invalid_scope", "The requested scope is invalid, unknown, or "
            + "malformed.", Map.of());
      }
    }
    MalformedTokenResponse defect = script.terminal() instanceof ScriptStore.Malformed m
        ? m.defect() : null;
    return token(scope, defect, now);
  }

  private Answer token(String scope, MalformedTokenResponse defect, long now) {
    boolean issues = defect == null || defect.issuesToken();
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Cache-Control", "no-store");
    headers.put("Pragma", "no-cache");
    if (defect == MalformedTokenResponse.NOT_JSON) {
      headers.put("Content-Type", "text/html; charset=utf-8");
      return new Answer(200, headers, "<html><body><h1>We'll be right back</h1></body></html>"
          .getBytes(StandardCharsets.UTF_8), null, null, true, false);
    }
    ObjectNode body = SimulatedAccount.JSON.createObjectNode();
    if (defect != MalformedTokenResponse.ACCESS_TOKEN_MISSING) {
      body.put("access_token", tokens.issue(now, lifetimeMillis));
    }
    body.put("token_type", defect == MalformedTokenResponse.TOKEN_TYPE_NOT_BEARER ? "mac"
        : "Bearer");
    long expiresIn = lifetimeMillis / 1000;
    if (defect == null) {
      body.put("expires_in", expiresIn);
    } else {
      switch (defect) {
        case EXPIRES_IN_MISSING:
          break;
        case EXPIRES_IN_ZERO:
          body.put("expires_in", 0);
          break;
        case EXPIRES_IN_NEGATIVE:
          body.put("expires_in", -1);
          break;
        case EXPIRES_IN_ABSURD:
          body.put("expires_in", Long.MAX_VALUE);
          break;
        case EXPIRES_IN_NOT_A_NUMBER:
          body.put("expires_in", "soon");
          break;
        default:
          body.put("expires_in", expiresIn);
          break;
      }
    }
    body.put("scope", scope);
    body.put("created_at", now / 1000);
    headers.put("Content-Type", JSON_TYPE);
    return new Answer(200, headers, SimulatedAccount.bytes(body), null, null, defect != null,
        issues);
  }

  private static Answer error(int status, String error, String description,
      Map<String, String> extra) {
    Map<String, String> headers = new LinkedHashMap<>(extra);
    headers.put("Cache-Control", "no-store");
    headers.put("Content-Type", JSON_TYPE);
    ObjectNode body = SimulatedAccount.JSON.createObjectNode();
    body.put("error", error);
    body.put("error_description", description);
    return new Answer(status, headers, SimulatedAccount.bytes(body), error, null, false, false);
  }

  private static Answer scripted(ScriptedResponse scripted) {
    Map<String, String> headers = new LinkedHashMap<>();
    for (Map.Entry<String, String> h : scripted.headers()) {
      headers.merge(h.getKey(), h.getValue(), (a, b) -> a + ", " + b);
    }
    byte[] body = scripted.bodyBytes();
    String error = null;
    if (body.length > 0) {
      try {
        JsonNode parsed = SimulatedAccount.JSON.readTree(body);
        if (parsed != null && parsed.path("error").isTextual()) {
          error = parsed.path("error").textValue();
        }
      } catch (IOException e) {
        // not JSON: no OAuth error code to record
      }
    }
    return new Answer(scripted.statusCode(), headers, body.length == 0 ? null : body, error,
        null, true, false);
  }

  private boolean authenticated(Params params) {
    if (params.clientId() == null || params.secret() == null) {
      return false;
    }
    byte[] expected = secretsByClient.get(params.clientId());
    return expected != null
        && MessageDigest.isEqual(expected, params.secret().getBytes(StandardCharsets.UTF_8));
  }

  private static Params params(Request request) {
    Map<String, String> fields = new HashMap<>();
    byte[] body = request.getBody();
    String type = request.getHeader("Content-Type");
    if (body != null && body.length > 0) {
      if (type != null && type.toLowerCase(Locale.ROOT).contains("json")) {
        try {
          JsonNode json = SimulatedAccount.JSON.readTree(body);
          if (json != null) {
            for (Map.Entry<String, JsonNode> field : json.properties()) {
              if (field.getValue().isValueNode()) {
                fields.putIfAbsent(field.getKey(), field.getValue().asText());
              }
            }
          }
        } catch (IOException e) {
          // a malformed body has no parameters
        }
      } else {
        fields.putAll(AssignrApiFilter.parseQuery(new String(body, StandardCharsets.UTF_8)));
      }
    }
    String clientId = fields.get("client_id");
    String secret = fields.get("client_secret");
    String authorization = request.getHeader("Authorization");
    if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
      clientId = null;
      secret = null;
      try {
        String pair = new String(Base64.getDecoder().decode(authorization.substring(6).trim()),
            StandardCharsets.UTF_8);
        int colon = pair.indexOf(':');
        if (colon >= 0) {
          clientId = URLDecoder.decode(pair.substring(0, colon), StandardCharsets.UTF_8);
          secret = URLDecoder.decode(pair.substring(colon + 1), StandardCharsets.UTF_8);
        }
      } catch (IllegalArgumentException e) {
        // malformed Basic credentials: no client
      }
    }
    return new Params(clientId, secret, fields.get("grant_type"), fields.get("scope"));
  }

  private synchronized long nextSequence() {
    return ++sequence;
  }

  private synchronized void record(TokenRequest entry) {
    if (journal.size() == journalCapacity) {
      journal.removeFirst();
    }
    journal.addLast(entry);
  }
}
