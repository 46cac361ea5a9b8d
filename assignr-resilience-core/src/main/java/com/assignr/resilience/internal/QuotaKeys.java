package com.assignr.resilience.internal;

import com.assignr.resilience.QuotaKey;
import com.assignr.resilience.RequestInfo;
import java.util.Locale;

/** The default {@link QuotaKey}. Not for users: call {@link QuotaKey#hostAndCredentials()}. */
public final class QuotaKeys {
  /** Host and a SHA-256 fingerprint of the credentials. */
  public static final QuotaKey HOST_AND_CREDENTIALS = new QuotaKey() {
    @Override
    public String keyFor(RequestInfo request, String credentials) {
      return request.host().toLowerCase(Locale.ROOT) + "#" + Fingerprints.of(credentials);
    }

    @Override
    public String toString() {
      return "QuotaKey.hostAndCredentials()";
    }
  };

  private QuotaKeys() {}
}
