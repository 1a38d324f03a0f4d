import { describe, expect, it } from "vitest";
import { createReplayGuard } from "./replay-guard.ts";

describe("replay guard (memory)", () => {
  it("lets a key be claimed once until it expires, or again after a release", () => {
    let t = 1_000;
    const guard = createReplayGuard(() => t);
    expect(guard.claim("a", 5_000)).toBe(true);
    expect(guard.claim("a", 5_000)).toBe(false);
    expect(guard.claim("b", 5_000)).toBe(true);
    guard.release("b");
    expect(guard.claim("b", 5_000)).toBe(true);
    t = 5_000;
    expect(guard.claim("a", 9_000)).toBe(true);
  });

  it("drops expired claims when there are very many", () => {
    let t = 0;
    const guard = createReplayGuard(() => t);
    for (let i = 0; i < 10_000; i++) guard.claim(`k${i}`, 100);
    t = 200;
    guard.claim("new", 1_000);
    expect(guard.size()).toBe(1);
  });
});
