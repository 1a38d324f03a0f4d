// A webhook's circuit breaker (as Convoy's), as pure state: after WEBHOOK_CIRCUIT_FAILURES failed
// attempts in a row the circuit opens, and no attempt is made (none is used up) until openUntil;
// then one delivery is tried (half_open): success closes it, failure opens it again. The state
// lives in the webhook's row, so every dispatcher process sees the same one; the claim that finds
// an open circuit past its cool-down starts the trial in the transaction that leases it.

import { CIRCUIT_STATES, type CircuitState } from "../../contracts/enums.ts";
import type { CircuitDto } from "../../contracts/webhook-settings.ts";

export { CIRCUIT_STATES, type CircuitState, type CircuitDto };

export interface Circuit {
  state: CircuitState;
  /** Failed attempts in a row. */
  failures: number;
  /** Until when an open circuit waits; null unless open. */
  openUntil: Date | null;
}

export interface CircuitRule {
  failures: number;
  cooldownMs: number;
}

export const CLOSED: Circuit = Object.freeze({ state: "closed", failures: 0, openUntil: null });

export function readCircuit(c: { state: string; failures: number; openUntil: Date | null }): Circuit {
  const state = (CIRCUIT_STATES as readonly string[]).includes(c.state) ? (c.state as CircuitState) : "closed";
  return { state, failures: c.failures, openUntil: state === "open" ? c.openUntil : null };
}

export function presentCircuit(c: { state: string; failures: number; openUntil: Date | null }): CircuitDto {
  const circuit = readCircuit(c);
  return { state: circuit.state, failures: circuit.failures, openUntil: circuit.openUntil?.getTime() ?? null } satisfies CircuitDto;
}

/**
 * What a claim may take of a webhook's due deliveries: all of them (closed), none yet (open and
 * cooling down), or one trial (open past its cool-down, or half open with its trial lost: a claim
 * takes a trial only while no lease on the webhook is live, so never beside one in flight).
 */
export type ClaimGate = "claim" | "wait" | "trial";

export function claimGate(c: Circuit, now: Date): ClaimGate {
  if (c.state === "closed") return "claim";
  if (c.state === "open" && c.openUntil !== null && c.openUntil.getTime() > now.getTime()) return "wait";
  return "trial";
}

export interface AttemptOutcome {
  ok: boolean;
  /** When the attempt ended: an opened circuit waits the cool-down from then. */
  at: Date;
}

/** The circuit after a webhook's attempts, in the order they were made. */
export function nextCircuit(current: Circuit, outcomes: readonly AttemptOutcome[], rule: CircuitRule): Circuit {
  let { state, failures, openUntil } = current;
  for (const o of outcomes) {
    if (o.ok) {
      state = "closed";
      failures = 0;
      openUntil = null;
      continue;
    }
    failures++;
    // A failed trial opens it again whatever the count (the limit may have been raised meanwhile).
    if (state !== "closed" || failures >= rule.failures) {
      state = "open";
      openUntil = new Date(o.at.getTime() + rule.cooldownMs);
    }
  }
  return { state, failures, openUntil };
}

export const sameCircuit = (a: Circuit, b: Circuit) =>
  a.state === b.state && a.failures === b.failures && (a.openUntil?.getTime() ?? null) === (b.openUntil?.getTime() ?? null);
