package com.assignr.resilience.oauth;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * An OAuth 2.0 access token as a {@link TokenSource} obtained it: its value, its type (always
 * {@code Bearer}: the only kind Assignr issues and the only one this library sends) and how long
 * the issuer said it is valid. {@link Credentials} turns the lifetime into an expiry on its own
 * {@link com.assignr.resilience.TimeSource}, counted from the moment it asked for the token, so a slow answer can only
 * make the token expire earlier in the library's eyes, never later.
 *
 * <p>The value never appears in {@link #toString()}, which shows only the type and the lifetime.
 */
public final class AccessToken {
  private static final String BEARER = "Bearer";

  private final String value;
  private final Duration lifetime;

  private AccessToken(String value, Duration lifetime) {
    this.value = value;
    this.lifetime = lifetime;
  }

  /**
   * A bearer token whose lifetime the issuer did not say ({@code expires_in} absent):
   * {@link Credentials} then assumes {@link AssignrOAuth.Builder#defaultLifetime(Duration)}.
   *
   * @param value the token, as sent after {@code "Bearer "}
   * @return the token
   * @throws IllegalArgumentException if {@code value} is empty or holds characters that may not
   *     appear in an {@code Authorization} header (the message never quotes it)
   */
  public static AccessToken bearer(String value) {
    return new AccessToken(checkValue(value), null);
  }

  /**
   * A bearer token valid for {@code lifetime} from the moment it was asked for.
   *
   * @param value the token, as sent after {@code "Bearer "}
   * @param lifetime how long it is valid ({@code expires_in}); positive
   * @return the token
   * @throws IllegalArgumentException if {@code value} is not a usable token or {@code lifetime} is
   *     not positive
   */
  public static AccessToken bearer(String value, Duration lifetime) {
    Objects.requireNonNull(lifetime, "lifetime");
    if (lifetime.isNegative() || lifetime.isZero()) {
      throw new IllegalArgumentException("lifetime must be positive but was " + lifetime);
    }
    return new AccessToken(checkValue(value), lifetime);
  }

  /**
   * The token itself. A secret: send it, never print it.
   *
   * @return the token value
   */
  public String value() {
    return value;
  }

  /**
   * The token type.
   *
   * @return {@code "Bearer"}
   */
  public String tokenType() {
    return BEARER;
  }

  /**
   * How long the issuer said the token is valid, if it said.
   *
   * @return the lifetime, or empty when the answer had no {@code expires_in}
   */
  public Optional<Duration> lifetime() {
    return Optional.ofNullable(lifetime);
  }

  /**
   * The {@code Authorization} header value for this token. A secret.
   *
   * @return {@code "Bearer <value>"}
   */
  public String authorizationHeader() {
    return BEARER + " " + value;
  }

  /** Type and lifetime only, never the value. */
  @Override
  public String toString() {
    return "AccessToken{" + BEARER + ", "
        + (lifetime == null ? "lifetime not stated" : "valid for " + lifetime.getSeconds() + " s") + '}';
  }

  /**
   * RFC 6750's {@code b64token} is a subset of visible ASCII; anything outside visible ASCII
   * (spaces, CR, LF, non-ASCII) could split or corrupt the header, so it is refused.
   */
  private static String checkValue(String value) {
    Objects.requireNonNull(value, "value");
    if (value.isEmpty()) throw new IllegalArgumentException("an access token must not be empty");
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x21 || c > 0x7e) {
        throw new IllegalArgumentException("an access token may hold only visible ASCII characters,"
            + " but character " + i + " is not one (the value is not shown)");
      }
    }
    return value;
  }
}
