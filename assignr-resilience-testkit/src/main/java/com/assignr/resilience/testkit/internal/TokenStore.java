package com.assignr.resilience.testkit.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Access tokens the simulated token endpoint issued, with their expiry on the simulator clock.
 *
 * <p>A token is 32 bytes from {@link SecureRandom}, URL-safe Base64 without padding (43
 * characters, as Doorkeeper, the OAuth server behind Rails apps like Assignr's, makes them). Only
 * a SHA-256 digest of each token is kept, so no token value sits in this store, a heap dump or a
 * {@code toString}.
 */
public final class TokenStore {

  /** What the API makes of a Bearer token. */
  public enum Check {
    /** Issued here and not yet expired or revoked. */
    VALID,
    /** Never issued here (or forgotten by a reset). */
    UNKNOWN,
    /** Issued here, but its lifetime is over or it was revoked. */
    EXPIRED
  }

  private static final int PRUNE_ABOVE = 10_000;

  private final SecureRandom random = new SecureRandom();
  private final Base64.Encoder encoder = Base64.getUrlEncoder().withoutPadding();
  private final Map<String, Long> expiryByDigest = new HashMap<>();

  /**
   * Issues a new token.
   *
   * @param now issue time, epoch millis on the simulator clock
   * @param lifetimeMillis positive
   * @return the token value, to be sent once and never stored in clear
   */
  public synchronized String issue(long now, long lifetimeMillis) {
    if (expiryByDigest.size() > PRUNE_ABOVE) {
      expiryByDigest.values().removeIf(expiry -> expiry <= now);
    }
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    String token = encoder.encodeToString(bytes);
    expiryByDigest.put(digest(token), now + lifetimeMillis);
    return token;
  }

  /**
   * Checks a token sent to the API.
   *
   * @param token the Bearer token
   * @param now epoch millis on the simulator clock
   * @return the verdict
   */
  public synchronized Check check(String token, long now) {
    Long expiry = expiryByDigest.get(digest(token));
    if (expiry == null) {
      return Check.UNKNOWN;
    }
    return now < expiry ? Check.VALID : Check.EXPIRED;
  }

  /**
   * Ends every token's lifetime now.
   *
   * @param now epoch millis on the simulator clock
   * @return how many tokens were still valid
   */
  public synchronized int expireAll(long now) {
    int active = 0;
    for (Iterator<Map.Entry<String, Long>> it = expiryByDigest.entrySet().iterator();
        it.hasNext(); ) {
      Map.Entry<String, Long> entry = it.next();
      if (now < entry.getValue()) {
        active++;
        entry.setValue(now);
      }
    }
    return active;
  }

  /**
   * Tokens still valid.
   *
   * @param now epoch millis on the simulator clock
   * @return the count
   */
  public synchronized int active(long now) {
    return (int) expiryByDigest.values().stream().filter(expiry -> now < expiry).count();
  }

  /** Forgets every token. */
  public synchronized void clear() {
    expiryByDigest.clear();
  }

  private static String digest(String token) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256")
          .digest(token.getBytes(StandardCharsets.UTF_8));
      return Base64.getEncoder().encodeToString(hash);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JDK", e);
    }
  }
}
