package com.assignr.resilience.oauth;

import com.assignr.resilience.spi.AuthorizationFailure;
import java.util.Set;

/**
 * The OAuth token endpoint answered, but not with a usable token: an error status ({@code 400
 * invalid_client}, {@code 401}, {@code 500}…), a redirect, or a body that is not a valid token
 * answer. The failure of {@link TokenSource#fetchToken()} for the client-credentials grant; a token
 * source of your own may use it too, so that its failures are classified the same way.
 *
 * <p>{@link #kind()} says what it means for callers: {@link AuthorizationFailure.Kind#REFUSED} for
 * a refusal of the credentials ({@code invalid_client}, {@code unauthorized_client}, {@code
 * invalid_scope}, {@code unsupported_grant_type}, or a 401 without a code: permanent), {@link
 * AuthorizationFailure.Kind#INVALID} for a 2xx whose body is not a usable token, {@link
 * AuthorizationFailure.Kind#UNAVAILABLE} for everything else (5xx, 429, other errors: temporary).
 *
 * <p>The message has the endpoint's host and path, the status, the OAuth {@code error} code when
 * the answer had a well-formed one, and advice. It never has the response body, its {@code
 * error_description} or any header: token endpoints echo the request in their error pages, the
 * client secret included.
 */
public final class TokenEndpointException extends java.io.IOException {
  private static final long serialVersionUID = 1L;

  /** The codes that refuse the credentials themselves: no retry can change the answer. */
  static final Set<String> REFUSALS = Set.of("invalid_client", "unauthorized_client", "invalid_scope",
      "unsupported_grant_type");

  private final int status;
  private final String error;
  private final AuthorizationFailure.Kind kind;

  /**
   * A failure whose kind follows from the status and the code (see the class comment).
   *
   * @param message what happened (no body, no secret)
   * @param status the HTTP status, 0 when none applies
   * @param error the OAuth {@code error} code, or null
   */
  public TokenEndpointException(String message, int status, String error) {
    this(message, status, error, kindOf(status, error));
  }

  TokenEndpointException(String message, int status, String error, AuthorizationFailure.Kind kind) {
    super(message);
    this.status = status;
    this.error = error;
    this.kind = kind;
  }

  private static AuthorizationFailure.Kind kindOf(int status, String error) {
    if (status >= 200 && status < 300) return AuthorizationFailure.Kind.INVALID;
    if (error != null && REFUSALS.contains(error) || error == null && status == 401) {
      return AuthorizationFailure.Kind.REFUSED;
    }
    return AuthorizationFailure.Kind.UNAVAILABLE;
  }

  /**
   * The HTTP status the endpoint answered.
   *
   * @return the status, 0 when none applies
   */
  public int status() {
    return status;
  }

  /**
   * The OAuth {@code error} code ({@code invalid_client}, {@code invalid_scope}…) if the answer
   * had one made of lower-case letters, digits and underscores; anything else is dropped.
   *
   * @return the code, or null
   */
  public String error() {
    return error;
  }

  /**
   * What the failure means for the callers waiting for the token.
   *
   * @return refused (permanent), invalid (a bad answer) or unavailable (temporary)
   */
  public AuthorizationFailure.Kind kind() {
    return kind;
  }
}
