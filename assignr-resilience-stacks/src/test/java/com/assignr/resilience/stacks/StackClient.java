package com.assignr.resilience.stacks;

/**
 * One stack as a caller uses it: a GET to pool a connection, then the write. Each implementation
 * builds its client the way the README says (or, for the "before" rows, the way it used to say).
 */
interface StackClient extends AutoCloseable {
  /** GETs {@code path} (under the API base), returning the status. */
  int get(String path) throws Exception;

  /** Sends {@code method} with the JSON body, returning the status, or throwing. */
  int write(String method, String path, String json) throws Exception;

  @Override
  default void close() throws Exception {}
}
