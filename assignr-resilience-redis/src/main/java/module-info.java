/**
 * One rate-limit gate for a fleet of JVMs: the gate's state in Redis, through Lettuce. Start with
 * {@link com.assignr.resilience.redis.RedisGateStore}.
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module com.assignr.resilience.redis {
  // RedisGateStore implements core's GateStore and takes the user's Lettuce RedisClient.
  requires transitive com.assignr.resilience;
  requires transitive lettuce.core;
  requires io.netty.common;
  requires org.slf4j;

  exports com.assignr.resilience.redis;
}
