// Rooms and members through the service, on each database: what commits, what is announced after
// the commit (and nothing when the change fails), and the membership key deciding a concurrent add.
import pg from "pg";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { addMember, createRoom, removeMember, setMemberAdmin } from "../../src/rooms/rooms.service.ts";
import { createWebhook } from "../../src/webhooks/outgoing/webhooks.service.ts";
import { createWebhookBody } from "../../src/webhooks/outgoing/webhooks.schema.ts";
import { dialects } from "../sql/dialects.ts";
import { waitUntil } from "../helpers/webhooks.ts";
import { names, openHarness, type Harness } from "./harness.ts";

const all = await dialects();
afterAll(async () => {
  for (const d of all) await d.dispose();
});

describe.each(all)("rooms service on $name", (dialect) => {
  let h: Harness;
  let alice: number, bob: number, carol: number;
  beforeEach(async () => {
    h = await openHarness(dialect);
    [alice, bob, carol] = [await h.user("alice"), await h.user("bob"), await h.user("carol")];
  });
  afterEach(() => h.close());

  it("creates a room with its members and announces it once, after the commit", async () => {
    const { room } = await createRoom(h.deps, alice, { name: "General", memberIds: [bob, bob, alice] });
    expect(room).toMatchObject({ name: "General", isAdmin: true });
    expect(room.members?.map((m) => [m.username, m.isAdmin])).toEqual([["alice", true], ["bob", false]]);
    const [created, ...rest] = h.drain();
    expect(rest).toEqual([]);
    expect(created).toMatchObject({ event: "room.created", payload: { room: { id: room.id, name: "General" }, members: [{ userId: alice, isAdmin: true }, { userId: bob, isAdmin: false }] } });
    expect(created!.payload).not.toHaveProperty("room.members");
  });

  it("refuses an unknown member and announces nothing", async () => {
    await expect(createRoom(h.deps, alice, { name: "R", memberIds: [bob, 99_999] })).rejects.toMatchObject({ status: 400 });
    expect(await h.database.prisma.room.count()).toBe(0);
    expect(h.published).toEqual([]);
  });

  it("adds a member with its outbox row in the same commit, then announces both", async () => {
    const { room } = await createRoom(h.deps, alice, { name: "R" });
    const { webhook } = await createWebhook(h.deps, alice, room.id, createWebhookBody.parse({ url: "https://example.com/hook", events: ["member.added"] }));
    h.drain();
    const { member } = await addMember(h.deps, alice, room.id, { userId: bob });
    expect(member).toEqual({ userId: bob, username: "bob", displayName: "BOB", isAdmin: false });
    expect(names(h.drain())).toEqual(["member.added", "outbox.enqueued"]);
    const [delivery] = await h.database.prisma.webhookDelivery.findMany({ where: { webhookId: webhook.id } });
    expect(JSON.parse(delivery!.payload)).toMatchObject({ type: "member.added", data: { user: { id: bob }, byUser: { id: alice }, room: { id: room.id } } });
  });

  it("answers a second add of the same user with 409, writing and announcing nothing", async () => {
    const { room } = await createRoom(h.deps, alice, { name: "R", memberIds: [bob] });
    h.drain();
    await expect(addMember(h.deps, alice, room.id, { userId: bob })).rejects.toMatchObject({ status: 409, message: "That user is already a member" });
    await expect(addMember(h.deps, bob, room.id, { userId: carol })).rejects.toMatchObject({ status: 403 });
    expect(await h.database.prisma.roomMember.count({ where: { roomId: room.id } })).toBe(2);
    expect(h.published).toEqual([]);
  });

  it("promotes the longest-standing member when the last admin leaves, and announces both changes", async () => {
    const { room } = await createRoom(h.deps, alice, { name: "R", memberIds: [bob, carol] });
    await expect(setMemberAdmin(h.deps, alice, room.id, alice, false)).rejects.toMatchObject({ status: 409 });
    h.drain();
    await removeMember(h.deps, alice, room.id, alice);
    const events = h.drain();
    expect(names(events)).toEqual(["member.removed", "member.updated"]);
    expect(events[1]).toMatchObject({ payload: { roomId: room.id, member: { userId: bob, isAdmin: true } } });
  });
});

// SQLite runs one write transaction at a time, so two adds cannot interleave there; on PostgreSQL
// they can. The test makes the race happen every time: its own transaction holds an uncommitted
// row for the same member, the service's insert waits on the key, and then that row commits.
describe.skipIf(!all.some((d) => d.name === "postgres"))("a concurrent add of the same member on postgres", () => {
  let h: Harness;
  afterEach(() => h?.close());

  it("is decided by the membership key: 409, not an unexplained error", async () => {
    h = await openHarness(all.find((d) => d.name === "postgres")!);
    const [alice, bob] = [await h.user("alice"), await h.user("bob")];
    const { room } = await createRoom(h.deps, alice, { name: "R" });
    const url = (h.database.shared as { url: string }).url;
    const other = new pg.Client({ connectionString: url });
    await other.connect();
    try {
      await other.query("BEGIN");
      await other.query(`INSERT INTO "RoomMember" ("roomId", "userId", "isAdmin") VALUES ($1, $2, false)`, [room.id, bob]);
      const adding = addMember(h.deps, alice, room.id, { userId: bob }).then(
        () => ({ ok: true as const }),
        (err: unknown) => ({ ok: false as const, err }),
      );
      const db = new URL(url).pathname.slice(1);
      await waitUntil(async () => {
        const { rows } = await other.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND wait_event_type = 'Lock'`, [db]);
        return rows[0].n > 0;
      }, "the service's insert to wait on the key");
      await other.query("COMMIT");
      const result = await adding;
      expect(result.ok).toBe(false);
      expect(!result.ok && result.err).toMatchObject({ status: 409, code: "conflict", message: "That user is already a member" });
      expect(names(h.drain())).toEqual(["room.created"]);
    } finally {
      await other.end();
    }
  });
});
