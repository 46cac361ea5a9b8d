/**
 * Implementation details of assignr-resilience core. Not for users: anything here may change
 * without notice.
 */
package com.assignr.resilience.internal;
