package com.assignr.resilience;

/**
 * What an outcome means at Assignr, and the retry rule that applies to it by default.
 *
 * <p>The defaults follow Assignr's "Requests &amp; Response Codes" page. Every rule can be
 * overridden per status with {@link RetryPolicy.Builder#retryRule(int, RetryRule)}.
 */
public enum Classification {
  /** 2xx: 200 OK, 201 Created, 204 No Content (after POST or DELETE). */
  SUCCESS(RetryRule.NEVER, false),
  /**
   * 302: Assignr answers a plain-HTTP request with a redirect to HTTPS. Following it would turn a
   * POST into a GET, so the adapters refuse {@code http://} URLs before sending anything.
   */
  INSECURE_REDIRECT(RetryRule.NEVER, false),
  /** 400: bad syntax, usually invalid JSON. Permanent. */
  BAD_REQUEST(RetryRule.NEVER, false),
  /** 401: credentials missing or wrong (an expired OAuth token, too). Permanent. */
  UNAUTHORIZED(RetryRule.NEVER, false),
  /** 402: the site has no active subscription. Permanent. */
  PAYMENT_REQUIRED(RetryRule.NEVER, false),
  /** 403: valid credentials, no permission. Permanent. */
  FORBIDDEN(RetryRule.NEVER, false),
  /** 404: no such resource. Permanent. */
  NOT_FOUND(RetryRule.NEVER, false),
  /**
   * 409: optimistic locking failed, the {@code lock_version} sent with a PUT is stale. Never resent
   * as is: the caller must GET the resource again and PUT with the fresh {@code lock_version}.
   */
  CONFLICT(RetryRule.NEVER, false),
  /** 422: validation failed (missing fields, or a bad query parameter such as limit &gt; 50). */
  VALIDATION_FAILED(RetryRule.NEVER, false),
  /** Any other 4xx: a client error Assignr does not document. Permanent. */
  CLIENT_ERROR(RetryRule.NEVER, false),
  /**
   * 429: over one of the three rate limits. The request was refused, not processed, so it is
   * retried for every method once the window resets.
   */
  RATE_LIMITED(RetryRule.ALWAYS, false),
  /** 503: "temporarily unable to respond; wait a bit and try again". Retried with backoff. */
  SERVICE_UNAVAILABLE(RetryRule.ALWAYS, true),
  /**
   * 500 and any other 5xx: the request may have been processed, so it is retried only for
   * idempotent methods unless the caller opts in.
   */
  SERVER_ERROR(RetryRule.IDEMPOTENT, true),
  /** 1xx and 3xx other than 302: nothing Assignr sends; returned as is. */
  UNEXPECTED_STATUS(RetryRule.NEVER, false),
  /** The connection was never established, so nothing was sent: retried for every method. */
  CONNECT_FAILURE(RetryRule.ALWAYS, true),
  /** An I/O failure after the request may have been sent: retried only for idempotent methods. */
  IO_FAILURE(RetryRule.IDEMPOTENT, true),
  /**
   * The TLS handshake failed for a reason no retry can change: an untrusted or mismatched
   * certificate, no protocol or cipher in common, plaintext on a TLS port. Never retried, never
   * counted by the breaker (it is this client's configuration, not Assignr's health).
   */
  TLS_FAILURE(RetryRule.NEVER, false),
  /** The caller cancelled the call or interrupted the thread. Never retried. */
  CANCELLED(RetryRule.NEVER, false),
  /**
   * Not an I/O failure at all: a runtime exception or error from the client (a closed client, an
   * invalid request, a bug). Never retried, and rethrown as it is.
   */
  UNEXPECTED_FAILURE(RetryRule.NEVER, false),
  /**
   * No access token: the token endpoint (not Assignr's API) could not be reached, failed or did not
   * answer within the call's deadline. Temporary: the credentials retry on their own backoff and
   * the call may be tried again later; nothing was sent to Assignr. Never counted by the breaker
   * (it is the token endpoint's health, not the API's).
   */
  TOKEN_UNAVAILABLE(RetryRule.NEVER, false),
  /**
   * No access token: the token endpoint refused the credentials ({@code invalid_client}, {@code
   * unauthorized_client}, {@code invalid_scope}). Permanent until the configuration changes;
   * nothing was sent to Assignr. Unlike {@link #UNAUTHORIZED}, Assignr never saw the call.
   */
  CREDENTIALS_REFUSED(RetryRule.NEVER, false),
  /** No access token: the token endpoint's answer was not a usable token. Nothing was sent to Assignr. */
  TOKEN_INVALID(RetryRule.NEVER, false);

  private final RetryRule defaultRule;
  private final boolean failure;

  Classification(RetryRule defaultRule, boolean failure) {
    this.defaultRule = defaultRule;
    this.failure = failure;
  }

  /** The rule applied when the policy does not override it. */
  public RetryRule defaultRule() {
    return defaultRule;
  }

  /**
   * Whether a circuit breaker should record this outcome as a failure of the service. Only server
   * errors and transport failures are; a 429 is throttling and 4xx are the caller's mistakes.
   */
  public boolean isServiceFailure() {
    return failure;
  }

  /** The classification of an HTTP status code. */
  public static Classification ofStatus(int status) {
    if (status >= 200 && status < 300) return SUCCESS;
    switch (status) {
      case 302: return INSECURE_REDIRECT;
      case 400: return BAD_REQUEST;
      case 401: return UNAUTHORIZED;
      case 402: return PAYMENT_REQUIRED;
      case 403: return FORBIDDEN;
      case 404: return NOT_FOUND;
      case 409: return CONFLICT;
      case 422: return VALIDATION_FAILED;
      case 429: return RATE_LIMITED;
      case 503: return SERVICE_UNAVAILABLE;
      default:
        if (status >= 500 && status < 600) return SERVER_ERROR;
        if (status >= 400 && status < 500) return CLIENT_ERROR;
        return UNEXPECTED_STATUS;
    }
  }
}
