/**
 * The two things every Assignr integration otherwise writes by hand, on top of whichever adapter
 * it uses: {@link com.assignr.resilience.workflows.ReadModifyWrite}, the read-change-write loop
 * that answers Assignr's 409 (optimistic locking on {@code lock_version}) correctly, and {@link
 * com.assignr.resilience.workflows.Paging}, a walk over a HAL collection's {@code _links.next}
 * that survives the hourly rate-limit window with a resume token.
 *
 * <p>Neither sends a request itself: the caller's functions do, through a client built with one
 * of the adapters and {@code throwOnFailure(true)}, so every read and write has the library's gate,
 * retries and deadline, and a 409 or a 429 that could not be waited out arrives as {@link
 * com.assignr.resilience.ConflictException} or {@link com.assignr.resilience.RateLimitedException}.
 * Neither parses JSON: the caller's Jackson, Gson or anything else does, in the same functions.
 */
package com.assignr.resilience.workflows;
