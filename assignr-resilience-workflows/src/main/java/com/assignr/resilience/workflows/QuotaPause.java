package com.assignr.resilience.workflows;

import com.assignr.resilience.RateLimitedException;
import java.time.Instant;

/**
 * A paged sync stopped cleanly because the rate limit binds (typically Assignr's hourly window,
 * 5000 requests per 3600 s) and the wait was longer than the caller allowed ({@link
 * Paging.Builder#maxQuotaWait(java.time.Duration)}). Nothing is lost: resume from {@link #token()}
 * at {@link #retryAt()} or later.
 *
 * @param retryAt when a request would be admitted again, as the library computed it; null when the
 *     server gave no usable reset
 * @param token where to resume; its next page was not fetched (the 429 or the gate refused it)
 * @param cause the library's give-up
 */
public record QuotaPause(Instant retryAt, ResumeToken token, RateLimitedException cause) {}
