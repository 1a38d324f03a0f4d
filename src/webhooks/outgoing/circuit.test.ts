import { describe, expect, it } from "vitest";
import { claimGate, CLOSED, nextCircuit, presentCircuit, readCircuit, type Circuit } from "./circuit.ts";

const rule = { failures: 3, cooldownMs: 60_000 };
const at = (ms: number) => new Date(ms);
const fail = (ms: number) => ({ ok: false, at: at(ms) });
const ok = (ms: number) => ({ ok: true, at: at(ms) });

describe("the circuit breaker", () => {
  it("opens after the set number of failed attempts in a row, waiting the cool-down from the last one", () => {
    expect(nextCircuit(CLOSED, [fail(1), fail(2)], rule)).toEqual({ state: "closed", failures: 2, openUntil: null });
    expect(nextCircuit(CLOSED, [fail(1), fail(2), fail(3)], rule)).toEqual({ state: "open", failures: 3, openUntil: at(60_003) });
  });

  it("a success in between starts the count again", () => {
    expect(nextCircuit(CLOSED, [fail(1), fail(2), ok(3), fail(4), fail(5)], rule)).toEqual({ state: "closed", failures: 2, openUntil: null });
    expect(nextCircuit({ state: "closed", failures: 2, openUntil: null }, [ok(1)], rule)).toEqual(CLOSED);
  });

  it("a trial's success closes it, its failure opens it again (whatever the count)", () => {
    const half: Circuit = { state: "half_open", failures: 3, openUntil: null };
    expect(nextCircuit(half, [ok(10)], rule)).toEqual(CLOSED);
    expect(nextCircuit(half, [fail(10)], rule)).toEqual({ state: "open", failures: 4, openUntil: at(60_010) });
    expect(nextCircuit({ ...half, failures: 0 }, [fail(10)], { ...rule, failures: 50 })).toMatchObject({ state: "open" });
  });

  it("claims everything while closed, nothing while open and cooling down, then one trial", () => {
    expect(claimGate(CLOSED, at(0))).toBe("claim");
    const open: Circuit = { state: "open", failures: 3, openUntil: at(1000) };
    expect(claimGate(open, at(999))).toBe("wait");
    expect(claimGate(open, at(1000))).toBe("trial");
    // Half open: the trial was lost (a crash) unless its lease is still live, which the claim checks.
    expect(claimGate({ state: "half_open", failures: 3, openUntil: null }, at(0))).toBe("trial");
  });

  it("shows openUntil only while open, and reads unknown states as closed", () => {
    expect(presentCircuit({ state: "open", failures: 5, openUntil: at(7) })).toEqual({ state: "open", failures: 5, openUntil: 7 });
    expect(presentCircuit({ state: "closed", failures: 1, openUntil: at(7) })).toEqual({ state: "closed", failures: 1, openUntil: null });
    expect(readCircuit({ state: "weird", failures: 0, openUntil: null }).state).toBe("closed");
  });
});
