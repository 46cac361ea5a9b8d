/**
 * Implementation of the {@code java.net.http} adapter. Not for users: nothing here is API, and
 * any of it may change in any release. Use {@link com.assignr.resilience.jdk.AssignrHttpClient}.
 */
package com.assignr.resilience.jdk.internal;
