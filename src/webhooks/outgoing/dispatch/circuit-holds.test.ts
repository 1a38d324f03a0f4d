import { expect, it } from "vitest";
import { CircuitHolds } from "./circuit-holds.ts";

it("holds a webhook seen open until a claim begun later finds its circuit letting it through", () => {
  const holds = new CircuitHolds();
  holds.hold(1, 1000);
  // A claim that began before the circuit opened proves nothing.
  holds.claimed(1, "claim", 999);
  holds.claimed(1, "claim", 1000);
  expect(holds.holds(1)).toBe(true);
  // Still open in the database.
  holds.claimed(1, "wait", 2000);
  expect(holds.holds(1)).toBe(true);
  // Closed by hand (or by another process's trial), or a trial of its own: lifted.
  holds.claimed(1, "claim", 2001);
  expect(holds.holds(1)).toBe(false);
  holds.hold(2, 5000);
  holds.claimed(2, "trial", 6000);
  expect(holds.holds(2)).toBe(false);
  expect(holds.holds(3)).toBe(false);
});
