/**
 * Assignr workflows on top of any adapter: {@link com.assignr.resilience.workflows.ReadModifyWrite}
 * for 409 Conflict, and {@link com.assignr.resilience.workflows.Paging} for resumable,
 * quota-aware syncs over HAL {@code _links.next}. No JSON library: the caller's own plugs in.
 */
module com.assignr.resilience.workflows {
  // ConflictException, RateLimitedException, TimeSource and InvalidSettingsException are API here.
  requires transitive com.assignr.resilience;

  exports com.assignr.resilience.workflows;
}
