// The webhooks whose circuit this dispatcher saw open. A claim that began before the circuit opened
// (its transaction committed first) may still hand the lanes deliveries of such a webhook: they
// are given back unsent. A later claim that finds the circuit letting it through lifts the hold.
import type { ClaimGate } from "../circuit.ts";

export class CircuitHolds {
  /** Webhook id -> when the open circuit was seen (ms). */
  private readonly since = new Map<number, number>();

  hold(webhookId: number, at = Date.now()): void {
    this.since.set(webhookId, at);
  }

  /** A claim that began at `claimedAt` found the circuit in this state (from the database). */
  claimed(webhookId: number, gate: ClaimGate, claimedAt: number): void {
    const since = this.since.get(webhookId);
    if (since !== undefined && gate !== "wait" && since < claimedAt) this.since.delete(webhookId);
  }

  holds(webhookId: number): boolean {
    return this.since.has(webhookId);
  }
}
