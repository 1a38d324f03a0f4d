// When a failed delivery is tried again: WEBHOOK_RETRY_DELAYS_MS with jitter, stretched by a
// receiver's Retry-After on 429/503 (at most 24 hours), and when it is dead instead.

export const MAX_RETRY_AFTER_MS = 24 * 3600 * 1000;
/** ±10 %: deliveries that failed together do not all come back in the same millisecond. */
const JITTER = 0.1;

/** Delay before the attempt after attempt number `attemptsMade` (1-based); the last delay repeats. */
export function backoffMs(delays: readonly number[], attemptsMade: number, random: () => number = Math.random): number {
  if (delays.length === 0) return 0;
  const base = delays[Math.min(Math.max(attemptsMade, 1), delays.length) - 1]!;
  return Math.max(0, Math.round(base * (1 + JITTER * (2 * random() - 1))));
}

/** Retry-After as milliseconds from `now`: delay-seconds or an HTTP date; capped at 24 h; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const v = value.trim();
  if (v === "") return undefined;
  let ms: number;
  if (/^\d+$/.test(v)) ms = Number(v) * 1000;
  else {
    // Every HTTP-date form names the day and month; V8 would otherwise read "-5" or "1.5" as dates.
    if (!/[A-Za-z]{3}/.test(v)) return undefined;
    const at = Date.parse(v);
    if (Number.isNaN(at)) return undefined;
    ms = at - now;
  }
  return Math.min(Math.max(ms, 0), MAX_RETRY_AFTER_MS);
}

export interface RetryDecision {
  /** Final: no attempt follows. */
  dead: boolean;
  /** When the next attempt is due (only when not dead). */
  nextAttemptAt?: Date;
}

/** After a failed attempt: dead when the attempts are used up, else the time of the next one. */
export function decideRetry(p: {
  attemptsMade: number;
  maxAttempts: number;
  delays: readonly number[];
  status?: number;
  retryAfter?: string;
  now?: number;
  random?: () => number;
}): RetryDecision {
  if (p.attemptsMade >= p.maxAttempts) return { dead: true };
  const now = p.now ?? Date.now();
  let delay = backoffMs(p.delays, p.attemptsMade, p.random);
  if (p.status === 429 || p.status === 503) {
    const wait = parseRetryAfter(p.retryAfter, now);
    if (wait !== undefined) delay = Math.max(delay, wait);
  }
  return { dead: false, nextAttemptAt: new Date(now + delay) };
}
