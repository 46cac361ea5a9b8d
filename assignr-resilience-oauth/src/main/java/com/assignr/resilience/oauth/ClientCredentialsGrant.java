package com.assignr.resilience.oauth;

import com.assignr.resilience.internal.Checks;
import com.assignr.resilience.internal.Fingerprints;
import com.assignr.resilience.internal.HeaderValues;
import com.assignr.resilience.internal.Hosts;
import com.assignr.resilience.spi.AuthorizationFailure;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The OAuth 2.0 client-credentials grant (RFC 6749 §4.4) as Assignr runs it, minus the HTTP: what
 * every {@link TokenTransport} sends and how the answer is read, so that every transport sends the
 * same bytes and reports the same errors. Not for users: call {@link AssignrOAuth}.
 *
 * <p>The request is {@code POST <tokenUri>} with the form {@code grant_type=client_credentials&
 * client_id=…&client_secret=…&scope=…} (Assignr documents the credentials in the body, RFC 6749's
 * {@code client_secret_post}). The answer is read by {@link #interpret}: a 2xx with a valid token
 * object becomes an {@link AccessToken}; everything else a {@link TokenEndpointException} whose
 * message never holds the body (an error page can echo the request, secret included), only the
 * status and a sanitised OAuth {@code error} code.
 */
final class ClientCredentialsGrant {
  /** Assignr's token endpoint; note it is not the API's host. */
  public static final URI ASSIGNR_TOKEN_URI = URI.create("https://app.assignr.com/oauth/token");
  /** The most bytes of an answer a token source reads; a token answer is a few hundred. */
  static final int MAX_BODY_BYTES = TokenTransport.MAX_BODY_BYTES;
  /** The form's media type. */
  public static final String FORM_MEDIA_TYPE = "application/x-www-form-urlencoded";

  private static final Pattern ERROR_CODE = Pattern.compile("[a-z0-9_]{1,64}");
  /**
   * Token types a message may name. Anything else from the body is never shown, however harmless
   * it looks: an endpoint echoing the request could put the secret anywhere.
   */
  private static final Set<String> KNOWN_TYPES = Set.of("mac", "dpop", "basic", "pop", "n_a");

  private final URI tokenUri;
  private final String where;
  private final String clientKey;
  private final String scope;
  private final String formBody;

  private ClientCredentialsGrant(URI tokenUri, String clientId, String clientSecret, String scope) {
    this.tokenUri = tokenUri;
    this.where = tokenUri.getHost() + (tokenUri.getPort() == -1 ? "" : ":" + tokenUri.getPort())
        + (tokenUri.getRawPath() == null || tokenUri.getRawPath().isEmpty() ? "/" : tokenUri.getRawPath());
    this.clientKey = "client#" + Fingerprints.of(clientId);
    this.scope = scope;
    StringBuilder form = new StringBuilder("grant_type=client_credentials");
    form.append("&client_id=").append(URLEncoder.encode(clientId, StandardCharsets.UTF_8));
    form.append("&client_secret=").append(URLEncoder.encode(clientSecret, StandardCharsets.UTF_8));
    if (scope != null) form.append("&scope=").append(URLEncoder.encode(scope, StandardCharsets.UTF_8));
    this.formBody = form.toString();
  }

  /**
   * Validates the settings of a client-credentials token source; messages name the parameter and,
   * except for the secret, its value.
   *
   * @param tokenUri the token endpoint; {@code https}, or {@code http} to a loopback host when
   *     {@code allowInsecureLoopback}; no user info, query or fragment (the secret goes in the body)
   * @param clientId the OAuth client id
   * @param clientSecret the OAuth client secret
   * @param scope space-separated scopes ({@code "read write"}), or null to send none
   * @param allowInsecureLoopback whether plain HTTP to a loopback host is allowed (tests only)
   * @return the grant
   * @throws com.assignr.resilience.InvalidSettingsException naming each bad parameter
   */
  public static ClientCredentialsGrant of(URI tokenUri, String clientId, String clientSecret, String scope,
      boolean allowInsecureLoopback) {
    return of(new Checks("client-credentials token source"), tokenUri, clientId, clientSecret, scope,
        allowInsecureLoopback);
  }

  /**
   * As {@link #of(URI, String, String, String, boolean)}, adding the grant's problems to those a
   * builder already found in its own settings, so that one {@code build()} reports them all.
   *
   * @param checks the builder's checks, possibly holding problems already
   * @param tokenUri the token endpoint
   * @param clientId the OAuth client id
   * @param clientSecret the OAuth client secret
   * @param scope space-separated scopes, or null to send none
   * @param allowInsecureLoopback whether plain HTTP to a loopback host is allowed (tests only)
   * @return the grant
   * @throws com.assignr.resilience.InvalidSettingsException naming every problem of {@code checks}
   */
  public static ClientCredentialsGrant of(Checks checks, URI tokenUri, String clientId, String clientSecret,
      String scope, boolean allowInsecureLoopback) {
    validate(checks, tokenUri, clientId, clientSecret, scope, allowInsecureLoopback);
    checks.throwIfAny();
    return new ClientCredentialsGrant(tokenUri, clientId, clientSecret, scope);
  }

  /**
   * The rules of the grant's settings, added to {@code c}: the starter runs them on its properties
   * without building anything. Values are shown without secrets: the URI as scheme, host and path,
   * the client id and secret only as {@code "(blank)"} or {@code null}.
   *
   * @param c where the problems go (setting names {@code tokenUri}, {@code clientId}, {@code
   *     clientSecret}, {@code scope})
   * @param tokenUri the token endpoint
   * @param clientId the OAuth client id
   * @param clientSecret the OAuth client secret
   * @param scope space-separated scopes, or null to send none
   * @param allowInsecureLoopback whether plain HTTP to a loopback host is allowed (tests only)
   */
  public static void validate(Checks c, URI tokenUri, String clientId, String clientSecret, String scope,
      boolean allowInsecureLoopback) {
    c.notNull("tokenUri", tokenUri);
    if (tokenUri != null) {
      String scheme = tokenUri.getScheme() == null ? "" : tokenUri.getScheme().toLowerCase(Locale.ROOT);
      String shown = scheme + "://" + tokenUri.getHost() + (tokenUri.getRawPath() == null ? "" : tokenUri.getRawPath());
      c.check(Hosts.isSecureEnough(scheme, tokenUri.getHost(), allowInsecureLoopback), "tokenUri", shown,
          "must be https (plain http only to a loopback host, with"
          + " allowInsecureLoopback(true)): the client secret would travel in clear text");
      c.check(tokenUri.getHost() != null && !tokenUri.getHost().isEmpty(), "tokenUri", shown, "must name a host");
      c.check(tokenUri.getRawUserInfo() == null && tokenUri.getRawQuery() == null
          && tokenUri.getRawFragment() == null, "tokenUri", shown,
          "must have no user info, query or fragment (the client secret goes in the form body)");
    }
    c.check(clientId != null && !clientId.isBlank(), "clientId", clientId == null ? null : "(blank)",
        "must be set");
    c.check(clientSecret != null && !clientSecret.isBlank(), "clientSecret",
        clientSecret == null ? null : "(blank)", "must be set");
    c.check(scope == null || !scope.isBlank(), "scope", "(blank)", "must not be blank (unset, none is sent)");
  }

  /** @return the token endpoint */
  public URI tokenUri() {
    return tokenUri;
  }

  /** @return host[:port]/path of the endpoint, for messages */
  public String where() {
    return where;
  }

  /**
   * The form to POST. A secret: it holds the client secret.
   *
   * @return {@code grant_type=client_credentials&client_id=…&client_secret=…[&scope=…]}
   */
  public String formBody() {
    return formBody;
  }

  /**
   * Reads the token endpoint's answer.
   *
   * @param status the HTTP status
   * @param body the body as text (at most {@link #MAX_BODY_BYTES} of it), or null
   * @param truncated whether the body was longer than what was read
   * @return the token of a 2xx answer
   * @throws TokenEndpointException for any other status, or a 2xx whose body is not a valid token
   */
  public AccessToken interpret(int status, String body, boolean truncated) throws TokenEndpointException {
    if (status >= 200 && status < 300) {
      if (truncated) {
        throw invalid(status, null, "the answer is longer than " + MAX_BODY_BYTES + " bytes, not a token answer");
      }
      return parseToken(status, body);
    }
    String error = truncated ? null : errorCode(body);
    throw failure(status, error, advice(status, error));
  }

  /**
   * The OAuth {@code error} code of {@code body}, if it is a JSON object whose {@code error} is a
   * string of lower-case letters, digits and underscores (every code RFC 6749 defines); null
   * otherwise. Nothing else of an error answer is ever kept.
   *
   * @param body an error answer, or null
   * @return the code, or null
   */
  public static String errorCode(String body) {
    if (body == null) return null;
    try {
      Object error = FlatJson.parseObject(body).get("error");
      return error instanceof String && ERROR_CODE.matcher((String) error).matches() ? (String) error : null;
    } catch (FlatJson.SyntaxException e) {
      return null;
    }
  }

  private AccessToken parseToken(int status, String body) throws TokenEndpointException {
    Map<String, Object> json;
    try {
      json = FlatJson.parseObject(body);
    } catch (FlatJson.SyntaxException e) {
      throw invalid(status, null, "the body is not a JSON token answer: " + e.getMessage());
    }
    Object error = json.get("error");
    if (error != null && error != FlatJson.NULL) {
      String code = errorCode(body);
      // Some endpoints answer a refusal with 200: the code still says what it is.
      throw new TokenEndpointException("Token request to " + where + " failed: HTTP " + status
          + (code == null ? "" : " (" + code + ")") + ": the body is an OAuth error, not a token", status, code,
          code != null && TokenEndpointException.REFUSALS.contains(code)
              ? AuthorizationFailure.Kind.REFUSED : AuthorizationFailure.Kind.INVALID);
    }
    Object value = json.get("access_token");
    if (!(value instanceof String) || ((String) value).isEmpty()) {
      throw invalid(status, null, "the answer has no access_token string");
    }
    Object type = json.get("token_type");
    if (type != null && type != FlatJson.NULL) {
      // RFC 6749 §5.1: required and case-insensitive. Missing is tolerated: Assignr issues Bearer.
      if (!(type instanceof String)) throw invalid(status, null, "token_type is not a string");
      String t = (String) type;
      if (!t.equalsIgnoreCase("bearer")) {
        throw invalid(status, null, "token_type must be Bearer but was "
            + (KNOWN_TYPES.contains(t.toLowerCase(Locale.ROOT)) ? t : "another type (not shown)")
            + "; only Bearer tokens can be sent as Authorization: Bearer");
      }
    }
    Duration lifetime = lifetime(status, json.get("expires_in"));
    String token = (String) value;
    for (int i = 0; i < token.length(); i++) {
      char c = token.charAt(i);
      if (c < 0x21 || c > 0x7e) {
        throw invalid(status, null, "access_token holds characters that may not appear in an"
            + " Authorization header (not shown)");
      }
    }
    return lifetime == null ? AccessToken.bearer(token) : AccessToken.bearer(token, lifetime);
  }

  /**
   * {@code expires_in}: absent or null means "not stated" (Credentials then assumes its default);
   * a number is truncated to whole seconds, a string of digits is tolerated; zero, negative and
   * anything else are refused. Huge values saturate here and are clamped by Credentials.
   */
  private Duration lifetime(int status, Object expiresIn) throws TokenEndpointException {
    if (expiresIn == null || expiresIn == FlatJson.NULL) return null;
    long seconds;
    if (expiresIn instanceof FlatJson.Number) {
      seconds = ((FlatJson.Number) expiresIn).truncatedLong();
    } else if (expiresIn instanceof String) {
      seconds = HeaderValues.nonNegative((String) expiresIn);
      if (seconds < 0) throw invalid(status, null, "expires_in is a string that is not a number of seconds");
    } else {
      throw invalid(status, null, "expires_in is not a number of seconds");
    }
    if (seconds <= 0) {
      throw invalid(status, null, "expires_in must be a positive number of seconds but was " + seconds);
    }
    return Duration.ofSeconds(seconds);
  }

  private static String advice(int status, String error) {
    if (status >= 300 && status < 400) {
      return "token requests do not follow redirects; check tokenUri";
    }
    if (error != null) {
      switch (error) {
        case "invalid_client": return "the client id or secret was refused";
        case "invalid_scope": return "the scope was refused (Assignr's scopes are read, write and bank)";
        case "unauthorized_client":
        case "unsupported_grant_type": return "this client may not use the client-credentials grant";
        case "invalid_grant": return "the grant was refused";
        case "invalid_request": return "the token request was refused as malformed";
        default: break;
      }
    }
    if (status == 401) return "the client id or secret was refused";
    if (status == 429) return "the token endpoint is rate limiting";
    if (status >= 500) return "the token endpoint failed";
    return "the token request was refused";
  }

  private TokenEndpointException failure(int status, String error, String why) {
    return new TokenEndpointException("Token request to " + where + " failed: HTTP " + status
        + (error == null ? "" : " (" + error + ")") + ": " + why, status, error);
  }

  /** A 2xx whose body is not a usable token: the answer is invalid, whatever code it holds. */
  private TokenEndpointException invalid(int status, String error, String why) {
    return new TokenEndpointException("Token request to " + where + " failed: HTTP " + status
        + (error == null ? "" : " (" + error + ")") + ": " + why, status, error,
        AuthorizationFailure.Kind.INVALID);
  }

  /** Endpoint, a hash of the client id and the scope; never the secret. */
  @Override
  public String toString() {
    return "client credentials{" + tokenUri.getScheme() + "://" + where + ", " + clientKey
        + (scope == null ? "" : ", scope=" + scope) + '}';
  }
}
