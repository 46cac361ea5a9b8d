package com.assignr.resilience.spi;

/**
 * A read-only view of response headers: the first value of a header, matched case-insensitively,
 * or {@code null}. Adapters pass their client's headers through this without copying them.
 */
@FunctionalInterface
public interface HeaderLookup {
  /** No headers at all. */
  HeaderLookup NONE = name -> null;

  /** The first value of the named header (case-insensitive), or {@code null} when absent. */
  String first(String name);
}
