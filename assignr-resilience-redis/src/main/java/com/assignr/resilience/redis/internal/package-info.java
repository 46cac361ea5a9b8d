/**
 * Implementation details of assignr-resilience-redis: the fleet-wide gate, its Lua scripts and
 * the Redis link. Not for users: anything here may change without notice.
 */
package com.assignr.resilience.redis.internal;
