package com.assignr.resilience;

/**
 * The OAuth token endpoint answered, but not with a usable token: an error status ({@code 400
 * invalid_client}, {@code 401}, {@code 500}…), a redirect, or a body that is not a valid token
 * answer. Thrown (as the failure of {@link TokenSource#fetchToken()}) by the adapters'
 * client-credentials sources.
 *
 * <p>The message has the endpoint's host and path, the status, the OAuth {@code error} code when
 * the answer had a well-formed one, and advice. It never has the response body, its {@code
 * error_description} or any header: token endpoints echo the request in their error pages, the
 * client secret included.
 */
public final class TokenEndpointException extends java.io.IOException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String error;

  /**
   * @param message what happened (no body, no secret)
   * @param status the HTTP status, 0 when none applies
   * @param error the OAuth {@code error} code, or null
   */
  public TokenEndpointException(String message, int status, String error) {
    super(message);
    this.status = status;
    this.error = error;
  }

  /**
   * The HTTP status the endpoint answered.
   *
   * @return the status
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
}
