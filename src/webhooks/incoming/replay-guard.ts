// Lets each timestamped signature post once while its timestamp is fresh, so a captured request
// cannot be sent again. In memory (one process), or in Redis (REDIS_URL) so every process agrees.
import type { Redis } from "ioredis";

export interface ReplayGuard {
  /** True the first time a key is claimed before it expires; false while it is held. */
  claim(key: string, expiresAtMs: number): boolean | Promise<boolean>;
  /** Gives a claim back (the request it came with posted nothing). */
  release(key: string): void | Promise<unknown>;
}

/** Beyond this many claims, expired ones are dropped. */
const SWEEP_ABOVE = 10_000;

export function createReplayGuard(now: () => number = Date.now): ReplayGuard & { size(): number } {
  const claims = new Map<string, number>();
  return {
    claim(key, expiresAtMs) {
      const t = now();
      const held = claims.get(key);
      if (held !== undefined && held > t) return false;
      if (claims.size >= SWEEP_ABOVE) for (const [k, exp] of claims) if (exp <= t) claims.delete(k);
      claims.set(key, expiresAtMs);
      return true;
    },
    release(key) {
      claims.delete(key);
    },
    size: () => claims.size,
  };
}

export function createRedisReplayGuard(redis: Redis, prefix: string): ReplayGuard {
  const redisKey = (key: string) => `${prefix}:hook-replay:${key}`;
  return {
    async claim(key, expiresAtMs) {
      const ttlMs = Math.max(1, expiresAtMs - Date.now());
      return (await redis.set(redisKey(key), "1", "PX", ttlMs, "NX")) === "OK";
    },
    release: (key) => redis.del(redisKey(key)),
  };
}
