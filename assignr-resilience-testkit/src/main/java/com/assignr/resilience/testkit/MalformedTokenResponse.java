package com.assignr.resilience.testkit;

/**
 * Defects {@link TokenScript.Trigger#malformed(MalformedTokenResponse)} puts into a token answer,
 * so a client's token source can be tested against them. The request is checked as usual; only
 * an answer that issues a token is changed (a refusal, e.g. 401 {@code invalid_client}, is sent as
 * is). Unless noted, the token is really issued and works against the API; only the answer that
 * carries it is wrong.
 *
 * <p>A correct answer, for comparison: {@code 200}, {@code Content-Type: application/json},
 * {@code {"access_token":"…","token_type":"Bearer","expires_in":7200,"scope":"read write",
 * "created_at":1757152800}}.
 */
public enum MalformedTokenResponse {
  /** No {@code expires_in} field. */
  EXPIRES_IN_MISSING,
  /** {@code "expires_in":0}. */
  EXPIRES_IN_ZERO,
  /** {@code "expires_in":-1}. */
  EXPIRES_IN_NEGATIVE,
  /**
   * {@code "expires_in":9223372036854775807} ({@code Long.MAX_VALUE} seconds): adding it to an
   * {@code Instant} overflows.
   */
  EXPIRES_IN_ABSURD,
  /** {@code "expires_in":"soon"}: a string that is not a number. */
  EXPIRES_IN_NOT_A_NUMBER,
  /** {@code "token_type":"mac"}: not a Bearer token. */
  TOKEN_TYPE_NOT_BEARER,
  /** No {@code access_token} field; no token is issued. */
  ACCESS_TOKEN_MISSING,
  /**
   * {@code 200} with {@code Content-Type: text/html} and an HTML page, as a proxy or a maintenance
   * page would answer; no token is issued.
   */
  NOT_JSON;

  /**
   * Whether the answer carries a usable token.
   *
   * @return false for {@link #ACCESS_TOKEN_MISSING} and {@link #NOT_JSON}
   */
  public boolean issuesToken() {
    return this != ACCESS_TOKEN_MISSING && this != NOT_JSON;
  }
}
