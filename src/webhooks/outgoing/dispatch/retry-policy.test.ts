import { describe, expect, it } from "vitest";
import { backoffMs, decideRetry, MAX_RETRY_AFTER_MS, parseRetryAfter } from "./retry-policy.ts";

const delays = [5000, 300_000, 1_800_000];
const mid = () => 0.5;

describe("backoffMs", () => {
  it("takes the delay of the attempt made; the last repeats", () => {
    expect(backoffMs(delays, 1, mid)).toBe(5000);
    expect(backoffMs(delays, 2, mid)).toBe(300_000);
    expect(backoffMs(delays, 3, mid)).toBe(1_800_000);
    expect(backoffMs(delays, 9, mid)).toBe(1_800_000);
  });

  it("adds at most ±10 % jitter", () => {
    expect(backoffMs(delays, 1, () => 0)).toBe(4500);
    expect(backoffMs(delays, 1, () => 0.999999)).toBe(5500);
    for (let i = 0; i < 100; i++) {
      const d = backoffMs(delays, 1);
      expect(d).toBeGreaterThanOrEqual(4500);
      expect(d).toBeLessThanOrEqual(5500);
    }
  });
});

describe("parseRetryAfter", () => {
  const now = Date.parse("2026-01-01T00:00:00Z");
  it("reads seconds and HTTP dates", () => {
    expect(parseRetryAfter("120", now)).toBe(120_000);
    expect(parseRetryAfter(" 0 ", now)).toBe(0);
    expect(parseRetryAfter("Thu, 01 Jan 2026 00:01:30 GMT", now)).toBe(90_000);
    expect(parseRetryAfter("Wed, 31 Dec 2025 23:00:00 GMT", now)).toBe(0);
  });
  it("caps at 24 hours and ignores what it cannot read", () => {
    expect(parseRetryAfter("999999999", now)).toBe(MAX_RETRY_AFTER_MS);
    expect(parseRetryAfter("Sat, 01 Jan 2028 00:00:00 GMT", now)).toBe(MAX_RETRY_AFTER_MS);
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter("", now)).toBeUndefined();
    expect(parseRetryAfter("soon", now)).toBeUndefined();
    expect(parseRetryAfter("-5", now)).toBeUndefined();
    expect(parseRetryAfter("1.5", now)).toBeUndefined();
  });
});

describe("decideRetry", () => {
  const now = 1_000_000;
  it("schedules the next attempt until the attempts are used up", () => {
    expect(decideRetry({ attemptsMade: 1, maxAttempts: 3, delays, now, random: mid })).toEqual({ dead: false, nextAttemptAt: new Date(now + 5000) });
    expect(decideRetry({ attemptsMade: 3, maxAttempts: 3, delays, now })).toEqual({ dead: true });
    expect(decideRetry({ attemptsMade: 1, maxAttempts: 1, delays, now })).toEqual({ dead: true });
  });

  it("waits at least Retry-After on 429 and 503 only", () => {
    expect(decideRetry({ attemptsMade: 1, maxAttempts: 3, delays: [50], status: 429, retryAfter: "1", now, random: mid }).nextAttemptAt).toEqual(new Date(now + 1000));
    expect(decideRetry({ attemptsMade: 1, maxAttempts: 3, delays: [50], status: 503, retryAfter: "2", now, random: mid }).nextAttemptAt).toEqual(new Date(now + 2000));
    expect(decideRetry({ attemptsMade: 1, maxAttempts: 3, delays: [50], status: 500, retryAfter: "2", now, random: mid }).nextAttemptAt).toEqual(new Date(now + 50));
    // A longer back-off wins over a short Retry-After.
    expect(decideRetry({ attemptsMade: 1, maxAttempts: 3, delays: [60_000], status: 429, retryAfter: "1", now, random: mid }).nextAttemptAt).toEqual(new Date(now + 60_000));
    expect(decideRetry({ attemptsMade: 1, maxAttempts: 3, delays: [50], status: 429, retryAfter: "86400000", now, random: mid }).nextAttemptAt).toEqual(
      new Date(now + MAX_RETRY_AFTER_MS),
    );
  });
});
