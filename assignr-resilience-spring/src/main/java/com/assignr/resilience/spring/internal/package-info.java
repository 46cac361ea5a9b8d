/** Implementation of the Spring adapter. Not for users: it may change in any release. */
package com.assignr.resilience.spring.internal;
