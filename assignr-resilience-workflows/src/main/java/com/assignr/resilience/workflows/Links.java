package com.assignr.resilience.workflows;

import java.net.URI;

/** The page URLs' one rule: every page is asked for with the same {@code limit}, at most 50. */
final class Links {
  private Links() {}

  /**
   * {@code url} with {@code limit=<limit>} added when it has no {@code limit} parameter.
   *
   * @throws IllegalArgumentException when its own {@code limit} is not 1 to 50
   */
  static String withLimit(String url, int limit) {
    int q = url.indexOf('?');
    int hash = url.indexOf('#');
    String base = hash < 0 ? url : url.substring(0, hash);
    if (q >= 0 && q < base.length()) {
      for (String pair : base.substring(q + 1).split("&")) {
        if (pair.startsWith("limit=")) {
          String value = pair.substring("limit=".length());
          long given;
          try {
            given = Long.parseLong(value);
          } catch (NumberFormatException e) {
            given = -1;
          }
          if (given < 1 || given > Paging.MAX_LIMIT) {
            throw new IllegalArgumentException("the page URL's limit must be between 1 and " + Paging.MAX_LIMIT
                + " (Assignr answers 422 otherwise), was '" + value + "'");
          }
          return base;
        }
      }
    }
    return base + (q >= 0 && q < base.length() ? (base.endsWith("?") || base.endsWith("&") ? "" : "&") : "?")
        + "limit=" + limit;
  }

  /** {@code _links.next.href} read against the page it came from (HAL allows relative links). */
  static String next(String current, String href) {
    if (href == null) return null;
    URI uri = URI.create(href.trim());
    return uri.isAbsolute() ? uri.toString() : URI.create(current).resolve(uri).toString();
  }
}
