package com.assignr.resilience.redis.internal;

import io.lettuce.core.RedisURI;

/**
 * Redis URIs as a refusal may show them. A Redis URI carries its password in the user info
 * ({@code redis://:s3cret@host:6379}), and the parsers' messages quote their whole input
 * ({@code "Illegal character in authority at index 8: redis://:s3cret pass@host:6379"}), so
 * neither the text nor a parser's message about it may reach an exception as they are. Not for
 * users.
 *
 * <p>The user info is everything between {@code ://} and the last {@code @}: a password with an
 * unencoded {@code /}, {@code ?} or {@code @} in it is hidden whole (hiding a little too much, a
 * path or query holding an {@code @}, costs nothing). Why a URI cannot be parsed is learned by
 * parsing it <em>with the user info replaced</em>: if that fails, its message quotes no secret; if
 * it parses, the fault is in the user info, and the message says so without showing it.
 */
public final class RedisUris {
  private static final String HIDDEN = "****";

  private RedisUris() {}

  /**
   * {@code text} with its user info replaced by {@code ****}; the text itself when it has none.
   *
   * @param text a Redis URI as given
   * @return what may be shown of it
   */
  public static String redacted(String text) {
    int scheme = text.indexOf("://");
    int authority = scheme < 0 ? 0 : scheme + 3;
    int at = text.lastIndexOf('@');
    if (at < authority) return text;
    return text.substring(0, authority) + HIDDEN + text.substring(at);
  }

  /**
   * Why {@code text}, which {@link RedisURI#create(String)} refused, is not a Redis URI, without
   * a piece of its user info.
   *
   * @param text the refused URI
   * @return the reason, to follow "must be a Redis URI such as redis://host:6379"
   */
  public static String whyNot(String text) {
    String shown = redacted(text);
    try {
      RedisURI.create(shown);
    } catch (RuntimeException e) {
      // The parser saw no secret: its message (which quotes its input) is safe to pass on.
      return String.valueOf(e.getMessage());
    }
    return "its user info (not shown) is not valid in a URI; percent-encode characters such as spaces, '%' and '@'";
  }
}
