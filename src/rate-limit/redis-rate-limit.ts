// Token buckets in Redis (REDIS_URL set), so every process counts against one limit per key
// (incoming hook, inspector bin). One Lua script per request: read, refill, take, write,
// atomically, with Redis's own clock so processes with skewed clocks agree.
import type { Redis } from "ioredis";
import { createTokenBuckets, type RateDecision, type RateLimiter } from "./rate-limit.ts";

/** The bucket's tokens now, refilled at ARGV[1] per second up to ARGV[2], by Redis's clock. */
const REFILL = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local rate, burst = tonumber(ARGV[1]), tonumber(ARGV[2])
local b = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens, at = tonumber(b[1]) or burst, tonumber(b[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - at) / 1000 * rate)
local allowed = 0`;

const TAKE = `${REFILL}
if tokens >= 1 then tokens = tokens - 1; allowed = 1 end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil(burst / rate * 1000) + 1000)
return {allowed, tostring(tokens)}`;

/** The same refill as TAKE, without taking or writing. */
const PEEK = `${REFILL}
if tokens >= 1 then allowed = 1 end
return {allowed, tostring(tokens)}`;

/** `prefix` namespaces the deployment, `name` the limit: keys are `<prefix>:<name>:<key>`. */
export function createRedisTokenBuckets(redis: Redis, opts: { ratePerSecond: number; burst: number; prefix: string; name: string }) {
  const { ratePerSecond, burst } = opts;
  const run = async (script: string, key: string | number): Promise<RateDecision> => {
    const redisKey = `${opts.prefix}:${opts.name}:${key}`;
    const [allowed, tokens] = (await redis.eval(script, 1, redisKey, ratePerSecond, burst)) as [number, string];
    if (allowed === 1) return { allowed: true, retryAfterS: 0 };
    return { allowed: false, retryAfterS: Math.max(1, Math.ceil((1 - Number(tokens)) / ratePerSecond)) };
  };
  return {
    take: (key: string | number) => run(TAKE, key),
    peek: (key: string | number) => run(PEEK, key),
  };
}

/** Shared buckets in Redis when the app has it, else this process's own. */
export function createRateLimiter(
  redis: Redis | undefined,
  opts: { ratePerSecond: number; burst: number; prefix: string; name: string },
): RateLimiter {
  return redis ? createRedisTokenBuckets(redis, opts) : createTokenBuckets(opts);
}
