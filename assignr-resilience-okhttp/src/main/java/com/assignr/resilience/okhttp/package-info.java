/**
 * The OkHttp adapter: {@link com.assignr.resilience.okhttp.AssignrInterceptor}, an application
 * interceptor for an existing {@code OkHttpClient}, and {@link
 * com.assignr.resilience.okhttp.AssignrCallFactory}, a {@code Call.Factory} (usable as Retrofit's
 * {@code callFactory}) whose {@code enqueue} waits without holding a dispatcher thread.
 *
 * <p>Works with OkHttp 4.12 and 5.x (the module is compiled against 5.x and tested on both).
 * Everything under {@code .internal} is implementation, not API.
 */
package com.assignr.resilience.okhttp;
