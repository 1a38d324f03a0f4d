import { describe, expect, it } from "vitest";
import { createTokenBuckets } from "./rate-limit.ts";

function clock() {
  let t = 1_000;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe("token buckets", () => {
  it("allows a burst, then refuses with a Retry-After in whole seconds", () => {
    const c = clock();
    const buckets = createTokenBuckets({ ratePerSecond: 10, burst: 20, now: c.now });
    for (let i = 0; i < 20; i++) expect(buckets.take(1).allowed).toBe(true);
    expect(buckets.take(1)).toEqual({ allowed: false, retryAfterS: 1 });
  });

  it("refills at the rate, never above the burst", () => {
    const c = clock();
    const buckets = createTokenBuckets({ ratePerSecond: 10, burst: 20, now: c.now });
    for (let i = 0; i < 20; i++) buckets.take(1);
    c.advance(100);
    expect(buckets.take(1).allowed).toBe(true);
    expect(buckets.take(1).allowed).toBe(false);
    c.advance(60_000);
    for (let i = 0; i < 20; i++) expect(buckets.take(1).allowed).toBe(true);
    expect(buckets.take(1).allowed).toBe(false);
  });

  it("keeps one bucket per hook", () => {
    const c = clock();
    const buckets = createTokenBuckets({ ratePerSecond: 1, burst: 1, now: c.now });
    expect(buckets.take(1).allowed).toBe(true);
    expect(buckets.take(2).allowed).toBe(true);
    expect(buckets.take(1).allowed).toBe(false);
  });

  it("rounds Retry-After up for slow rates", () => {
    const c = clock();
    const buckets = createTokenBuckets({ ratePerSecond: 1, burst: 2, now: c.now });
    buckets.take(1);
    buckets.take(1);
    c.advance(200);
    expect(buckets.take(1)).toEqual({ allowed: false, retryAfterS: 1 });
    const slow = createTokenBuckets({ ratePerSecond: 1, burst: 1, now: c.now });
    slow.take("a");
    expect(slow.take("a").retryAfterS).toBe(1);
  });

  it("drops full buckets when there are very many", () => {
    const c = clock();
    const buckets = createTokenBuckets({ ratePerSecond: 10, burst: 5, now: c.now });
    for (let i = 0; i < 10_000; i++) buckets.take(i);
    c.advance(1_000);
    buckets.take("new");
    expect(buckets.size()).toBe(1);
  });
});

describe("peek", () => {
  it("tells whether a token is there without taking it", () => {
    const c = clock();
    const buckets = createTokenBuckets({ ratePerSecond: 1, burst: 2, now: c.now });
    expect(buckets.peek("k")).toEqual({ allowed: true, retryAfterS: 0 });
    buckets.take("k");
    buckets.take("k");
    expect(buckets.peek("k")).toEqual({ allowed: false, retryAfterS: 1 });
    expect(buckets.peek("k")).toEqual({ allowed: false, retryAfterS: 1 });
    c.advance(1_000);
    expect(buckets.peek("k").allowed).toBe(true);
    expect(buckets.peek("k").allowed).toBe(true);
    expect(buckets.take("k").allowed).toBe(true);
    expect(buckets.peek("k").allowed).toBe(false);
  });
});
