package com.assignr.resilience.examples;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;

/**
 * The four calls the demo's job makes, so that one job runs unchanged over either adapter. Both
 * implementations are built with {@code throwOnFailure(true)}: a call returns only on success,
 * and every other final outcome arrives as a typed {@link com.assignr.resilience.AssignrException}
 * (a 409 as {@link com.assignr.resilience.ConflictException}), after the library's retries.
 */
interface AssignrApi extends AutoCloseable {
  /** The name shown in progress lines and the summary. */
  String name();

  /** GET {@code url} (absolute, e.g. a HAL link) and parse the body. */
  JsonNode get(String url) throws IOException;

  /** PUT {@code body} as JSON; returns the parsed response body. */
  JsonNode put(String url, JsonNode body) throws IOException;

  /** POST {@code body} (null for none) as JSON; returns the parsed response body. */
  JsonNode post(String url, JsonNode body) throws IOException;

  /** DELETE {@code url}. */
  void delete(String url) throws IOException;

  @Override
  void close();
}
