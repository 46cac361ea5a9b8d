/**
 * Implementation of the Assignr API simulator. Not for users: these classes change without notice.
 * Use the types in {@code com.assignr.resilience.testkit} instead.
 */
package com.assignr.resilience.testkit.internal;
