/**
 * Assignr-aware retries for {@code java.net.http}: {@link
 * com.assignr.resilience.jdk.AssignrHttpClient} wraps an {@code HttpClient} you already configured
 * and keeps the standard API. Everything under {@code .internal} is implementation.
 */
package com.assignr.resilience.jdk;
