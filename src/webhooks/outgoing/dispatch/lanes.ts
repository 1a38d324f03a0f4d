// Which claimed delivery goes out next: pure scheduling state, no I/O (unit-tested on its own).
// One lane per webhook holds its claimed deliveries in id (event) order and has at most one in
// flight. Rooms take turns (round robin), and a room has at most `perRoom` deliveries in flight,
// so one room's slow or dead endpoints never take every send slot (WEBHOOK_ROOM_CONCURRENCY in the README).

export interface Claimed {
  id: number;
  webhookId: number;
}

export interface LaneLimits {
  /** Deliveries in flight at once, all webhooks together. */
  concurrency: number;
  /** Deliveries in flight at once for the webhooks of one room. */
  perRoom: number;
  /** Deliveries one lane holds at most (claimed, not yet sent, plus the one in flight). */
  perWebhook: number;
}

interface Lane<T> {
  webhookId: number;
  roomId: number;
  queue: T[];
  inFlight: T | undefined;
  ready: boolean;
}

interface RoomTurn<T> {
  inFlight: number;
  ready: Lane<T>[];
  queued: boolean;
}

export class LaneBoard<T extends Claimed> {
  private readonly lanes = new Map<number, Lane<T>>();
  private readonly rooms = new Map<number, RoomTurn<T>>();
  /** Rooms with a ready lane, in turn order. */
  private readonly turns: number[] = [];
  private readonly heldIds = new Set<number>();
  private inFlight = 0;

  constructor(private readonly limits: LaneLimits) {}

  /** Adds claimed deliveries of one webhook; ids already held (queued or in flight) are skipped. */
  add(roomId: number, webhookId: number, items: readonly T[]): T[] {
    const lane = this.laneOf(roomId, webhookId);
    const added: T[] = [];
    for (const item of items) {
      if (this.heldIds.has(item.id)) continue;
      this.heldIds.add(item.id);
      insertInOrder(lane.queue, item);
      added.push(item);
    }
    this.markReady(lane);
    return added;
  }

  /** The next delivery to send, or undefined when none may go now. */
  take(): T | undefined {
    if (this.inFlight >= this.limits.concurrency) return undefined;
    for (let tries = this.turns.length; tries > 0; tries--) {
      const roomId = this.turns.shift()!;
      const room = this.rooms.get(roomId)!;
      if (room.inFlight >= this.limits.perRoom) {
        this.turns.push(roomId);
        continue;
      }
      const lane = room.ready.shift()!;
      lane.ready = false;
      const item = lane.queue.shift()!;
      lane.inFlight = item;
      room.inFlight++;
      this.inFlight++;
      if (room.ready.length > 0) this.turns.push(roomId);
      else room.queued = false;
      return item;
    }
    return undefined;
  }

  /** The lane's delivery in flight has ended (sent and handed to the recorder, or given up). */
  done(webhookId: number): void {
    const lane = this.lanes.get(webhookId);
    if (!lane?.inFlight) return;
    this.heldIds.delete(lane.inFlight.id);
    lane.inFlight = undefined;
    this.inFlight--;
    this.rooms.get(lane.roomId)!.inFlight--;
    this.markReady(lane);
    this.forgetIfEmpty(lane);
  }

  /** Empties a lane's queue (its webhook died, or its records failed); the one in flight stays. */
  drop(webhookId: number): T[] {
    const lane = this.lanes.get(webhookId);
    if (!lane) return [];
    const dropped = lane.queue;
    lane.queue = [];
    for (const item of dropped) this.heldIds.delete(item.id);
    if (lane.ready) {
      lane.ready = false;
      const room = this.rooms.get(lane.roomId)!;
      room.ready.splice(room.ready.indexOf(lane), 1);
      if (room.ready.length === 0 && room.queued) {
        room.queued = false;
        this.turns.splice(this.turns.indexOf(lane.roomId), 1);
      }
    }
    this.forgetIfEmpty(lane);
    return dropped;
  }

  /** How many more deliveries a webhook's lane can take (what a claim asks for). */
  room(webhookId: number): number {
    const lane = this.lanes.get(webhookId);
    return this.limits.perWebhook - (lane ? lane.queue.length + (lane.inFlight ? 1 : 0) : 0);
  }

  /** Claimed deliveries waiting in the lane (not the one in flight). */
  queued(webhookId: number): number {
    return this.lanes.get(webhookId)?.queue.length ?? 0;
  }

  inFlightOf(webhookId: number): T | undefined {
    return this.lanes.get(webhookId)?.inFlight;
  }

  /** A webhook's ids held: queued or in flight. */
  heldOf(webhookId: number): number[] {
    const lane = this.lanes.get(webhookId);
    if (!lane) return [];
    const ids = lane.queue.map((d) => d.id);
    if (lane.inFlight) ids.push(lane.inFlight.id);
    return ids;
  }

  /** Every id held: queued or in flight (their leases are renewed). */
  held(): number[] {
    return [...this.heldIds];
  }

  get size(): number {
    return this.heldIds.size;
  }

  get sending(): number {
    return this.inFlight;
  }

  private laneOf(roomId: number, webhookId: number): Lane<T> {
    let lane = this.lanes.get(webhookId);
    if (!lane) {
      lane = { webhookId, roomId, queue: [], inFlight: undefined, ready: false };
      this.lanes.set(webhookId, lane);
    }
    return lane;
  }

  private markReady(lane: Lane<T>): void {
    if (lane.ready || lane.inFlight || lane.queue.length === 0) return;
    lane.ready = true;
    let room = this.rooms.get(lane.roomId);
    if (!room) this.rooms.set(lane.roomId, (room = { inFlight: 0, ready: [], queued: false }));
    room.ready.push(lane);
    if (!room.queued) {
      room.queued = true;
      this.turns.push(lane.roomId);
    }
  }

  private forgetIfEmpty(lane: Lane<T>): void {
    if (lane.inFlight || lane.queue.length > 0) return;
    this.lanes.delete(lane.webhookId);
    const room = this.rooms.get(lane.roomId);
    if (room && room.inFlight === 0 && room.ready.length === 0) this.rooms.delete(lane.roomId);
  }
}

function insertInOrder<T extends Claimed>(queue: T[], item: T): void {
  let i = queue.length;
  while (i > 0 && queue[i - 1]!.id > item.id) i--;
  queue.splice(i, 0, item);
}
