/** Implementation of the Spring Boot starter. Not for users: it may change in any release. */
package com.assignr.resilience.spring.boot.internal;
