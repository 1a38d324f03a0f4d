// A token bucket per key (an incoming hook, an inspector bin), in memory: a burst of `burst`
// requests, refilling at `ratePerSecond`. One bucket set per app instance (no module state); with
// several server processes each keeps its own buckets (see redis-rate-limit.ts for shared ones).
export interface RateDecision {
  allowed: boolean;
  /** Whole seconds until a token is available (0 when allowed). */
  retryAfterS: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

/** Beyond this many buckets, full ones are dropped (they are the same as a missing one). */
const SWEEP_ABOVE = 10_000;

export function createTokenBuckets(opts: { ratePerSecond: number; burst: number; now?: () => number }) {
  const { ratePerSecond, burst } = opts;
  const now = opts.now ?? (() => performance.now());
  const buckets = new Map<string | number, Bucket>();

  const refill = (b: Bucket, t: number) => Math.min(burst, b.tokens + ((t - b.at) / 1000) * ratePerSecond);

  function sweep(t: number) {
    for (const [key, b] of buckets) if (refill(b, t) >= burst) buckets.delete(key);
  }

  const refused = (tokens: number): RateDecision => ({ allowed: false, retryAfterS: Math.max(1, Math.ceil((1 - tokens) / ratePerSecond)) });

  return {
    take(key: string | number): RateDecision {
      const t = now();
      const b = buckets.get(key) ?? { tokens: burst, at: t };
      b.tokens = refill(b, t);
      b.at = t;
      if (!buckets.has(key)) {
        if (buckets.size >= SWEEP_ABOVE) sweep(t);
        buckets.set(key, b);
      }
      if (b.tokens >= 1) {
        b.tokens -= 1;
        return { allowed: true, retryAfterS: 0 };
      }
      return refused(b.tokens);
    },
    /** Whether a token is there, without taking it. */
    peek(key: string | number): RateDecision {
      const b = buckets.get(key);
      const tokens = b ? refill(b, now()) : burst;
      return tokens >= 1 ? { allowed: true, retryAfterS: 0 } : refused(tokens);
    },
    /** Forgets a key's bucket (a deleted hook). */
    forget(key: string | number) {
      buckets.delete(key);
    },
    size: () => buckets.size,
  };
}

/** What a rate-limited endpoint needs: in memory (one process) or in Redis (several). */
export interface RateLimiter {
  take(key: string | number): RateDecision | Promise<RateDecision>;
  peek(key: string | number): RateDecision | Promise<RateDecision>;
}
