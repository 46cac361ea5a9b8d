package com.assignr.resilience.workflows;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Where a paged sync stands: the URL of the next page not yet delivered, and how much was
 * delivered before it. Saved as a string ({@link #asString()}) by a job that stops, and handed to
 * {@link Paging#resume(ResumeToken, PageSource)} by the job that continues, which starts at that
 * page: no page delivered before is fetched again.
 *
 * <p>The string form is {@code assignr-pages:1;pages=<n>;records=<n>;next=<url, percent-encoded, or
 * empty when complete>}: readable, one line, and safe in a database column, a file or an
 * environment variable. Next links carry only the collection's path and its {@code page} and {@code
 * limit}: no credential.
 *
 * @param next the next page's URL, or null when the collection was read to its end
 * @param pagesRead pages delivered so far, across every resume
 * @param recordsRead records in them
 */
public record ResumeToken(String next, long pagesRead, long recordsRead) {
  private static final String PREFIX = "assignr-pages:1;";

  /** Validates the counts. */
  public ResumeToken {
    if (pagesRead < 0) throw new IllegalArgumentException("pagesRead must not be negative, was " + pagesRead);
    if (recordsRead < 0) throw new IllegalArgumentException("recordsRead must not be negative, was " + recordsRead);
    if (next != null && next.isBlank()) next = null;
  }

  /** @return whether the collection was read to its end (there is no next page) */
  public boolean complete() {
    return next == null;
  }

  /** @return the one-line form, for {@link #parse(String)} */
  public String asString() {
    return PREFIX + "pages=" + pagesRead + ";records=" + recordsRead + ";next="
        + (next == null ? "" : URLEncoder.encode(next, StandardCharsets.UTF_8));
  }

  /**
   * Reads a token saved with {@link #asString()}.
   *
   * @param token the saved form
   * @return the token
   * @throws IllegalArgumentException naming what is wrong when it is not one
   */
  public static ResumeToken parse(String token) {
    Objects.requireNonNull(token, "token");
    if (!token.startsWith(PREFIX)) {
      throw new IllegalArgumentException("not a resume token (it must start with '" + PREFIX + "')");
    }
    String[] parts = token.substring(PREFIX.length()).split(";", 3);
    if (parts.length != 3 || !parts[0].startsWith("pages=") || !parts[1].startsWith("records=")
        || !parts[2].startsWith("next=")) {
      throw new IllegalArgumentException("not a resume token: expected pages=<n>;records=<n>;next=<url> after '"
          + PREFIX + "'");
    }
    long pages = count("pages", parts[0].substring("pages=".length()));
    long records = count("records", parts[1].substring("records=".length()));
    String next = parts[2].substring("next=".length());
    return new ResumeToken(next.isEmpty() ? null : URLDecoder.decode(next, StandardCharsets.UTF_8), pages, records);
  }

  private static long count(String name, String value) {
    try {
      long n = Long.parseLong(value);
      if (n >= 0) return n;
    } catch (NumberFormatException e) {
      // below
    }
    throw new IllegalArgumentException("resume token: " + name + " must be a whole number, was '" + value + "'");
  }

  @Override
  public String toString() {
    return asString();
  }
}
