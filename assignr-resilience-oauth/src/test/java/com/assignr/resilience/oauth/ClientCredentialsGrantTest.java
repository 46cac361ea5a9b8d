package com.assignr.resilience.oauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ClientCredentialsGrantTest {
  static final String SECRET = "s3cr3t+/=& ü";
  static final ClientCredentialsGrant GRANT = ClientCredentialsGrant.of(AssignrOAuth.ASSIGNR_TOKEN_URI,
      "client-42", SECRET, "read write", false);

  private static AccessToken ok(String body) throws TokenEndpointException {
    return GRANT.interpret(200, body, false);
  }

  private static TokenEndpointException bad(int status, String body) {
    return assertThrows(TokenEndpointException.class, () -> GRANT.interpret(status, body, false));
  }

  @Test
  void theFormIsTheClientCredentialsGrantWithEveryFieldEncoded() {
    assertEquals("grant_type=client_credentials&client_id=client-42"
        + "&client_secret=s3cr3t%2B%2F%3D%26+%C3%BC&scope=read+write", GRANT.formBody());
    assertEquals("grant_type=client_credentials&client_id=c&client_secret=s",
        ClientCredentialsGrant.of(AssignrOAuth.ASSIGNR_TOKEN_URI, "c", "s", null, false).formBody(),
        "no scope sent when none is set");
    assertEquals("app.assignr.com/oauth/token", GRANT.where());
    assertFalse(GRANT.toString().contains("s3cr3t"), GRANT.toString());
    assertFalse(GRANT.toString().contains("client-42"), "the client id is hashed: " + GRANT);
  }

  @Test
  void aTokenUriThatOnlyLooksLikeLoopbackIsRefused_theSecretWouldGoOutInClearText() {
    for (String uri : List.of("http://127.attacker.example/oauth/token", "http://127.0.0.1.evil/oauth/token",
        "http://127.1/oauth/token", "http://localhost./oauth/token")) {
      assertThrows(IllegalArgumentException.class, () -> ClientCredentialsGrant.of(URI.create(uri), "c", "s", null, true),
          uri);
    }
    assertEquals("[::1]:8080/oauth/token",
        ClientCredentialsGrant.of(URI.create("http://[::1]:8080/oauth/token"), "c", "s", null, true).where());
  }

  @Test
  void onlyHttpsOrAnAllowedLoopbackTokenUriIsAccepted() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ClientCredentialsGrant.of(
        URI.create("http://app.assignr.com/oauth/token"), "c", "s", null, false));
    assertEquals("Invalid client-credentials token source: tokenUri must be https (plain http only to a"
        + " loopback host, with allowInsecureLoopback(true)): the client secret would travel in clear"
        + " text but was http://app.assignr.com/oauth/token", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> ClientCredentialsGrant.of(
        URI.create("http://127.0.0.1:8080/oauth/token"), "c", "s", null, false), "loopback needs the opt-in");
    assertThrows(IllegalArgumentException.class, () -> ClientCredentialsGrant.of(
        URI.create("http://app.assignr.com/oauth/token"), "c", "s", null, true), "the opt-in is for loopback only");
    assertEquals("127.0.0.1:8080/oauth/token", ClientCredentialsGrant.of(
        URI.create("http://127.0.0.1:8080/oauth/token"), "c", "s", null, true).where());
    assertThrows(IllegalArgumentException.class, () -> ClientCredentialsGrant.of(
        URI.create("ftp://app.assignr.com/oauth/token"), "c", "s", null, true));
  }

  @Test
  void everyBadSettingIsNamedAndTheSecretNeverQuoted() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ClientCredentialsGrant.of(
        URI.create("https://u:pw@app.assignr.com/oauth/token?client_secret=s3cr3tX"), " ", " \t", " ", false));
    String m = e.getMessage();
    assertTrue(m.contains("tokenUri must have no user info, query or fragment"), m);
    assertTrue(m.contains("clientId must be set but was (blank)"), m);
    assertTrue(m.contains("clientSecret must be set but was (blank)"), m);
    assertTrue(m.contains("scope must not be blank"), m);
    assertFalse(m.contains("s3cr3t"), m);
    assertFalse(m.contains("pw"), m);
    e = assertThrows(IllegalArgumentException.class, () -> ClientCredentialsGrant.of(null, null, null, null, false));
    assertTrue(e.getMessage().contains("tokenUri must not be null"), e.getMessage());
    assertTrue(e.getMessage().contains("clientSecret must be set but was null"), e.getMessage());
  }

  @Test
  void aGoodAnswerBecomesABearerTokenWithItsLifetime() throws Exception {
    AccessToken t = ok("{\"access_token\":\"tok-1.a_b~c+d/e=\",\"token_type\":\"Bearer\",\"expires_in\":7200,"
        + "\"scope\":\"read write\",\"created_at\":1764072000}");
    assertEquals("tok-1.a_b~c+d/e=", t.value());
    assertEquals("Bearer tok-1.a_b~c+d/e=", t.authorizationHeader());
    assertEquals(Optional.of(Duration.ofSeconds(7200)), t.lifetime());
    assertEquals("AccessToken{Bearer, valid for 7200 s}", t.toString());
  }

  @Test
  void lenientWhereItIsHarmless() throws Exception {
    assertEquals(Optional.empty(), ok("{\"access_token\":\"t\",\"token_type\":\"Bearer\"}").lifetime(),
        "expires_in missing: not stated (Credentials assumes its default)");
    assertEquals(Optional.empty(), ok("{\"access_token\":\"t\",\"expires_in\":null}").lifetime());
    assertEquals("Bearer t", ok("{\"access_token\":\"t\",\"expires_in\":60}").authorizationHeader(),
        "token_type missing: Assignr issues Bearer");
    assertEquals("Bearer t", ok("{\"access_token\":\"t\",\"token_type\":\"bearer\"}").authorizationHeader(),
        "token_type is case-insensitive (RFC 6749 5.1)");
    assertEquals(Optional.of(Duration.ofSeconds(7200)), ok("{\"access_token\":\"t\",\"expires_in\":\"7200\"}").lifetime());
    assertEquals(Optional.of(Duration.ofSeconds(7200)), ok("{\"access_token\":\"t\",\"expires_in\":7200.75}").lifetime());
    assertEquals(Optional.of(Duration.ofSeconds(Long.MAX_VALUE)),
        ok("{\"access_token\":\"t\",\"expires_in\":1e400}").lifetime(), "saturated here, clamped by Credentials");
    assertEquals("Bearer t", ok("{\"access_token\":\"t\",\"token_type\":null}").authorizationHeader());
  }

  @ParameterizedTest(name = "[{index}] {1}")
  @CsvSource(delimiter = '|', value = {
      "''| the body is not a JSON token answer: no JSON: the body is empty",
      "<html>Sign in</html>| the body is not a JSON token answer: not a JSON object",
      "[\"access_token\"]| the body is not a JSON token answer: not a JSON object",
      "{\"access_token\":\"t\",}| the body is not a JSON token answer: invalid JSON at offset 20",
      "{\"token_type\":\"Bearer\",\"expires_in\":7200}| the answer has no access_token string",
      "{\"access_token\":\"\"}| the answer has no access_token string",
      "{\"access_token\":42}| the answer has no access_token string",
      "{\"access_token\":\"t\",\"token_type\":\"mac\"}| token_type must be Bearer but was mac",
      "{\"access_token\":\"t\",\"token_type\":\"DPoP\"}| token_type must be Bearer but was DPoP",
      "{\"access_token\":\"t\",\"token_type\":\"harmless-looking\"}| token_type must be Bearer but was another type (not shown)",
      "{\"access_token\":\"t\",\"token_type\":1}| token_type is not a string",
      "{\"access_token\":\"t\",\"expires_in\":0}| expires_in must be a positive number of seconds but was 0",
      "{\"access_token\":\"t\",\"expires_in\":0.4}| expires_in must be a positive number of seconds but was 0",
      "{\"access_token\":\"t\",\"expires_in\":-7200}| expires_in must be a positive number of seconds but was -7200",
      "{\"access_token\":\"t\",\"expires_in\":\"soon\"}| expires_in is a string that is not a number of seconds",
      "{\"access_token\":\"t\",\"expires_in\":\"-1\"}| expires_in is a string that is not a number of seconds",
      "{\"access_token\":\"t\",\"expires_in\":true}| expires_in is not a number of seconds",
      "{\"access_token\":\"t\",\"expires_in\":[7200]}| expires_in is not a number of seconds",
      "{\"access_token\":\"a b\"}| access_token holds characters that may not appear in an Authorization header",
      "{\"access_token\":\"a\\r\\nX-Evil: 1\"}| access_token holds characters that may not appear in an Authorization header",
      "{\"access_token\":\"caf\\u00e9\"}| access_token holds characters that may not appear in an Authorization header",
      "{\"error\":\"invalid_client\",\"access_token\":\"t\"}| (invalid_client): the body is an OAuth error, not a token",
  })
  void aBadTwoHundredIsAClearErrorThatQuotesNothingOfTheBody(String body, String expected) {
    TokenEndpointException e = bad(200, body);
    assertTrue(e.getMessage().startsWith("Token request to app.assignr.com/oauth/token failed: HTTP 200"), e.getMessage());
    assertTrue(e.getMessage().contains(expected), e.getMessage());
    assertEquals(200, e.status());
    if (body.contains("access_token\":\"a")) assertFalse(e.getMessage().contains("Evil"), e.getMessage());
  }

  @Test
  void aTruncatedAnswerIsRefusedWithoutParsing() {
    TokenEndpointException e = assertThrows(TokenEndpointException.class,
        () -> GRANT.interpret(200, "{\"access_token\":\"t\"", true));
    assertTrue(e.getMessage().contains("longer than 65536 bytes"), e.getMessage());
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(delimiter = '|', value = {
      "400|{\"error\":\"invalid_client\",\"error_description\":\"client_secret=SECRET wrong\"}|invalid_client|HTTP 400 (invalid_client): the client id or secret was refused",
      "401|{\"error\":\"invalid_client\"}|invalid_client|HTTP 401 (invalid_client): the client id or secret was refused",
      "401|''||HTTP 401: the client id or secret was refused",
      "400|{\"error\":\"invalid_scope\"}|invalid_scope|HTTP 400 (invalid_scope): the scope was refused",
      "400|{\"error\":\"unsupported_grant_type\"}|unsupported_grant_type|may not use the client-credentials grant",
      "400|{\"error\":\"unauthorized_client\"}|unauthorized_client|may not use the client-credentials grant",
      "400|{\"error\":\"invalid_grant\"}|invalid_grant|HTTP 400 (invalid_grant): the grant was refused",
      "400|{\"error\":\"invalid_request\"}|invalid_request|refused as malformed",
      "400|{\"error\":\"some_new_code\"}|some_new_code|HTTP 400 (some_new_code): the token request was refused",
      "400|{\"error\":\"client_secret=SECRET\"}||HTTP 400: the token request was refused",
      "400|{\"error\":\"Invalid Client SECRET\"}||HTTP 400: the token request was refused",
      "400|{\"error\":[\"SECRET\"]}||HTTP 400: the token request was refused",
      "400|grant_type=client_credentials&client_secret=SECRET||HTTP 400: the token request was refused",
      "429|''||HTTP 429: the token endpoint is rate limiting",
      "500|<html>client_secret=SECRET</html>||HTTP 500: the token endpoint failed",
      "503|{\"error\":\"temporarily_unavailable\"}|temporarily_unavailable|HTTP 503 (temporarily_unavailable): the token endpoint failed",
      "302|''||HTTP 302: token requests do not follow redirects; check tokenUri",
      "418|''||HTTP 418: the token request was refused",
  })
  void errorAnswersKeepOnlyTheStatusAndASanitisedErrorCode(int status, String body, String error, String expected) {
    TokenEndpointException e = bad(status, body);
    assertEquals(status, e.status());
    assertEquals(error, e.error());
    assertTrue(e.getMessage().contains(expected), e.getMessage());
    assertFalse(e.getMessage().contains("SECRET"), e.getMessage());
    assertFalse(e.getMessage().contains("client_secret"), e.getMessage());
  }

  @Test
  void errorCodeIsNullForAnythingButAWellFormedCode() {
    assertEquals("invalid_client", ClientCredentialsGrant.errorCode("{\"error\":\"invalid_client\"}"));
    for (String body : List.of("", "{}", "{\"error\":null}", "{\"error\":\"\"}", "{\"error\":\"Bad\"}",
        "{\"error\":\"" + "a".repeat(65) + "\"}", "not json", "{\"error\":\"x\"")) {
      assertNull(ClientCredentialsGrant.errorCode(body), body);
    }
    assertNull(ClientCredentialsGrant.errorCode(null));
  }

  @Test
  void accessTokensRefuseWhatCouldNotBeSentAndNeverPrintTheValue() {
    assertThrows(IllegalArgumentException.class, () -> AccessToken.bearer(""));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AccessToken.bearer("se cret"));
    assertFalse(e.getMessage().contains("cret"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> AccessToken.bearer("t", Duration.ZERO));
    assertThrows(IllegalArgumentException.class, () -> AccessToken.bearer("t", Duration.ofSeconds(-1)));
    assertThrows(NullPointerException.class, () -> AccessToken.bearer(null));
    assertEquals("AccessToken{Bearer, lifetime not stated}", AccessToken.bearer("hidden-value").toString());
    assertEquals("Bearer", AccessToken.bearer("x").tokenType());
  }
}
