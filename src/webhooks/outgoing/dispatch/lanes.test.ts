// Lane scheduling on its own: order per webhook, one in flight per webhook, the global and per-room
// caps, rooms taking turns, duplicates, and dropping a lane.
import { describe, expect, it } from "vitest";
import { LaneBoard, type Claimed } from "./lanes.ts";

const d = (id: number, webhookId: number): Claimed => ({ id, webhookId });
const board = (concurrency = 10, perRoom = 10, perWebhook = 32) => new LaneBoard<Claimed>({ concurrency, perRoom, perWebhook });

/** Takes until nothing more may go; returns the ids taken. */
function drain(b: LaneBoard<Claimed>): number[] {
  const ids: number[] = [];
  for (let item = b.take(); item; item = b.take()) ids.push(item.id);
  return ids;
}

describe("LaneBoard", () => {
  it("sends a webhook's deliveries one at a time, in id order whatever the order they were claimed in", () => {
    const b = board();
    b.add(1, 7, [d(5, 7), d(2, 7), d(9, 7)]);
    expect(drain(b)).toEqual([2]);
    b.done(7);
    expect(drain(b)).toEqual([5]);
    b.add(1, 7, [d(3, 7)]);
    b.done(7);
    expect(drain(b)).toEqual([3]);
    b.done(7);
    expect(drain(b)).toEqual([9]);
    b.done(7);
    expect(drain(b)).toEqual([]);
    expect(b.size).toBe(0);
  });

  it("skips a delivery it already holds, queued or in flight", () => {
    const b = board();
    b.add(1, 7, [d(1, 7), d(2, 7)]);
    expect(b.take()?.id).toBe(1);
    expect(b.add(1, 7, [d(1, 7), d(2, 7), d(3, 7)]).map((x) => x.id)).toEqual([3]);
    b.done(7);
    expect(drain(b)).toEqual([2]);
    b.done(7);
    expect(drain(b)).toEqual([3]);
  });

  it("keeps the global concurrency", () => {
    const b = board(3);
    for (let w = 1; w <= 5; w++) b.add(w, w, [d(w, w)]);
    expect(drain(b)).toHaveLength(3);
    expect(b.sending).toBe(3);
    b.done(1);
    expect(drain(b)).toHaveLength(1);
  });

  it("caps one room's share, so another room's webhook still gets a slot", () => {
    const b = board(8, 3);
    for (let w = 1; w <= 50; w++) b.add(100, w, [d(w, w)]); // 50 webhooks of room 100
    b.add(200, 999, [d(1000, 999)]);
    const first = drain(b);
    expect(first).toContain(1000);
    expect(first.filter((id) => id !== 1000)).toHaveLength(3);
    // Room 100's slots stay full while its endpoints hang; room 200 keeps sending.
    b.done(999);
    b.add(200, 999, [d(1001, 999)]);
    expect(drain(b)).toEqual([1001]);
  });

  it("lets rooms take turns", () => {
    const b = board(1, 1);
    b.add(1, 10, [d(1, 10), d(2, 10), d(3, 10)]);
    b.add(1, 11, [d(4, 11), d(5, 11)]);
    b.add(2, 20, [d(6, 20), d(7, 20)]);
    const order: number[] = [];
    for (let i = 0; i < 7; i++) {
      const item = b.take()!;
      order.push(item.id);
      b.done(item.webhookId);
    }
    // Room 1 and room 2 alternate; inside room 1 its two webhooks alternate.
    expect(order).toEqual([1, 6, 4, 7, 2, 5, 3]);
  });

  it("drops a lane's queue but not its delivery in flight", () => {
    const b = board();
    b.add(1, 7, [d(1, 7), d(2, 7), d(3, 7)]);
    b.add(2, 8, [d(4, 8)]);
    expect(b.take()?.id).toBe(1);
    expect(b.drop(7).map((x) => x.id)).toEqual([2, 3]);
    expect(b.held().sort()).toEqual([1, 4]);
    expect(drain(b)).toEqual([4]);
    b.done(7);
    expect(drain(b)).toEqual([]);
    // A dropped delivery can be claimed again later.
    b.add(1, 7, [d(2, 7)]);
    expect(drain(b)).toEqual([2]);
  });

  it("says how much a lane can still take", () => {
    const b = board(10, 10, 4);
    expect(b.room(7)).toBe(4);
    b.add(1, 7, [d(1, 7), d(2, 7)]);
    b.take();
    expect(b.room(7)).toBe(2);
    expect(b.queued(7)).toBe(1);
    expect(b.inFlightOf(7)?.id).toBe(1);
  });
});
