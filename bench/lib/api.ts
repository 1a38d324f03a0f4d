// Setting up through the server's public API: users, rooms, members and one webhook per room to
// the receiver (path /hook/<roomId>), as a user of the product would.
import { randomBytes } from "node:crypto";
import { client as checkedClient, type Client } from "../../test/helpers/api.ts";
import type { Target } from "../children/loadgen.ts";

/** The API client of the bench: the server is a black box of any commit, so its answers are not held to this checkout's OpenAPI document. */
export const client = (url: string, token?: string): Client => checkedClient(url, token, { unchecked: true });

export interface BenchRoom {
  roomId: number;
  /** The receiver path its webhook posts to: /hook/<n>-<roomId>, unique in the run. */
  hookPath: string;
  token: string;
  userId: number;
}

const run = randomBytes(3).toString("hex");
let userSeq = 0;

function must<T>(res: { status: number; text: string; body: T }, want: number, what: string): T {
  if (res.status !== want) throw new Error(`${what}: ${res.status} ${res.text.slice(0, 300)}`);
  return res.body;
}

export async function register(url: string): Promise<{ id: number; token: string; api: Client }> {
  const username = `b${run}_${++userSeq}`;
  const body = must(await client(url).post("/api/auth/register", { username, password: "bench-password-1", displayName: username }), 201, "register");
  return { id: body.user.id, token: body.token, api: client(url, body.token) };
}

/** Registers `count` users, `parallel` at a time (each costs the server one scrypt). */
export async function registerMany(url: string, count: number, parallel = 8) {
  const users: { id: number; token: string }[] = new Array(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(parallel, count) }, async () => {
      while (next < count) {
        const i = next++;
        const u = await register(url);
        users[i] = { id: u.id, token: u.token };
      }
    }),
  );
  return users;
}

let hookSeq = 0;

export async function addWebhook(api: Client, roomId: number, receiverUrl: string): Promise<string> {
  // Unique in the run: room ids repeat across set-ups (each has its own database).
  const hookPath = `/hook/${++hookSeq}-${roomId}`;
  must(await api.post(`/api/rooms/${roomId}/webhooks`, { url: receiverUrl + hookPath, name: "bench" }), 201, "create webhook");
  return hookPath;
}

/** `count` rooms, each with its own user (the sender) and one webhook to the receiver. */
export async function setupRooms(url: string, count: number, receiverUrl: string, label: string): Promise<BenchRoom[]> {
  return Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const user = await register(url);
      const room = must(await user.api.post("/api/rooms", { name: `${label} ${i + 1}` }), 201, "create room").room as { id: number };
      return { roomId: room.id, hookPath: await addWebhook(user.api, room.id, receiverUrl), token: user.token, userId: user.id };
    }),
  );
}

/** One room of all these users (the first creates it), members added in chunks then one by one. */
export async function roomOf(url: string, users: { id: number; token: string }[], name: string): Promise<number> {
  const owner = client(url, users[0]!.token);
  // 500 per create: below the 1,000 the API takes and SQLite's 999 bound values.
  const first = users.slice(1, 501).map((u) => u.id);
  const roomId = (must(await owner.post("/api/rooms", { name, memberIds: first }), 201, "create room").room as { id: number }).id;
  const rest = users.slice(501);
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < rest.length) {
        const u = rest[next++]!;
        must(await owner.post(`/api/rooms/${roomId}/members`, { userId: u.id }), 201, "add member");
      }
    }),
  );
  return roomId;
}

/** Load-generator targets: the message route of each room, spread over the deployment's processes. */
export function messageTargets(urls: string[], rooms: BenchRoom[]): Target[] {
  const targets: Target[] = [];
  // Every room appears once per process, so each process gets every room's traffic.
  for (const room of rooms) for (const origin of urls) targets.push({ origin, path: `/api/rooms/${room.roomId}/messages`, token: room.token });
  return targets;
}
