/** Implementation of the Micrometer binder. Not for users: it may change in any release. */
package com.assignr.resilience.micrometer.internal;
