package com.assignr.resilience.workflows;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * One page of a HAL collection, as the caller's JSON library read it: the records of {@code
 * _embedded.<collection>} and the {@code href} of {@code _links.next}.
 *
 * @param records the page's records, in order (copied; may be empty)
 * @param next the next page's URL ({@code _links.next.href}, absolute or relative to this page's),
 *     or null on the last page
 * @param <R> a record, in the caller's JSON library or own type
 */
public record Page<R>(List<R> records, String next) {
  /** Copies the records. */
  public Page {
    records = Collections.unmodifiableList(new ArrayList<>(Objects.requireNonNull(records, "records")));
    if (next != null && next.isBlank()) next = null;
  }

  /**
   * @param records the page's records
   * @param next {@code _links.next.href}, or null on the last page
   * @param <R> a record
   * @return the page
   */
  public static <R> Page<R> of(List<R> records, String next) {
    return new Page<>(records, next);
  }
}
