/** Implementation of the OkHttp adapter. Not for users: it may change in any release. */
package com.assignr.resilience.okhttp.internal;
