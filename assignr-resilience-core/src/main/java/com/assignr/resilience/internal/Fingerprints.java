package com.assignr.resilience.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** Hashes of credentials, so that a quota key can name an account without holding its token. */
public final class Fingerprints {
  private Fingerprints() {}

  /** The first 48 bits of SHA-256 of {@code secret}, in hex; "anonymous" for null or empty. */
  public static String of(String secret) {
    if (secret == null || secret.isEmpty()) return "anonymous";
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
      StringBuilder hex = new StringBuilder(12);
      for (int i = 0; i < 6; i++) {
        hex.append(Character.forDigit((digest[i] >> 4) & 0xf, 16)).append(Character.forDigit(digest[i] & 0xf, 16));
      }
      return hex.toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java platform", e);
    }
  }
}
