package com.assignr.resilience;

import com.assignr.resilience.spi.RateLimitGate;

import com.assignr.resilience.internal.Checks;
import com.assignr.resilience.internal.QuotaKeys;

/**
 * Names the quota a request draws on: requests with the same key share one {@link RateLimitGate}.
 *
 * <p>Assignr counts every request of an <em>account</em>, so the key should name the account. The
 * default, {@link #hostAndCredentials()}, derives it from the API host and a hash of the request's
 * {@code Authorization} value. That is right when every request carries the same credentials, and
 * wrong in two common setups: an auth interceptor that adds {@code Authorization} <em>below</em>
 * this library (every call then looks anonymous), and OAuth tokens that rotate every two hours
 * (each token would start a new, cold gate). Name the quota yourself there:
 *
 * <pre>{@code
 * AssignrResilience.builder().quotaKey(QuotaKey.fixed("assignr:club-42")).build();
 * }</pre>
 *
 * <p>Several JVMs sharing a fleet-wide gate must agree on the key without sharing a token: use a
 * fixed name (or one derived from the OAuth client id, which the credentials support does for
 * you). A key must never contain a credential: it appears in logs, metrics and store keys.
 */
@FunctionalInterface
public interface QuotaKey {

  /**
   * The quota of {@code request}.
   *
   * @param request the request (method, scheme, host, path; no query)
   * @param credentials the {@code Authorization} value the request carries, or null; for hashing
   *     only, never to be returned or kept
   * @return the key; never a credential
   */
  String keyFor(RequestInfo request, String credentials);

  /**
   * The default: the host (lower-cased) and a SHA-256 fingerprint of the credentials, {@code
   * "api.assignr.com#3f2a…"}; {@code "api.assignr.com#anonymous"} without credentials.
   *
   * @return the default key
   */
  static QuotaKey hostAndCredentials() {
    return QuotaKeys.HOST_AND_CREDENTIALS;
  }

  /**
   * Every request on one quota named {@code name}, whatever its credentials.
   *
   * @param name the quota's name, e.g. {@code "assignr:club-42"}
   * @return a fixed key
   * @throws InvalidSettingsException when {@code name} is null or blank
   */
  static QuotaKey fixed(String name) {
    Checks c = new Checks("QuotaKey.fixed");
    c.check(name != null && !name.isBlank(), "name", name == null ? null : '"' + name + '"', "must not be blank");
    c.throwIfAny();
    return new QuotaKey() {
      @Override
      public String keyFor(RequestInfo request, String credentials) {
        return name;
      }

      @Override
      public String toString() {
        return "QuotaKey.fixed(" + name + ")";
      }
    };
  }
}
