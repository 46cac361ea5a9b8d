/** Implementation of the Apache HttpClient 5 adapter. Not for users: it may change in any release. */
package com.assignr.resilience.httpclient5.internal;
