/**
 * One rate-limit gate for a whole fleet of JVMs: {@link com.assignr.resilience.redis.RedisGateStore}
 * keeps each quota's gate state in Redis, so every instance sees the same budget, closures and
 * release order, and degrades to the in-process gate when Redis is slow or gone. Everything under
 * {@code .internal} is implementation.
 */
package com.assignr.resilience.redis;
