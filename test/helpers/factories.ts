// Test data through the real API: users, rooms, messages.
import { client, type Client } from "./api.ts";

let seq = 0;
const unique = () => `${process.pid % 10000}${Date.now() % 100000}${seq++}`;

export interface TestUser {
  id: number;
  username: string;
  displayName: string;
  token: string;
  api: Client;
}

export async function buildUser(baseUrl: string, overrides: { username?: string; displayName?: string; password?: string } = {}): Promise<TestUser> {
  const username = overrides.username ?? `u${unique()}`;
  const res = await client(baseUrl).post("/api/auth/register", {
    username,
    password: overrides.password ?? "password123",
    displayName: overrides.displayName ?? `User ${username}`,
  });
  if (res.status !== 201) throw new Error(`register failed: ${res.status} ${res.text}`);
  return { ...res.body.user, token: res.body.token, api: client(baseUrl, res.body.token) };
}

export async function buildRoom(admin: TestUser, members: TestUser[] = [], name = "Room"): Promise<{ id: number; name: string }> {
  const res = await admin.api.post("/api/rooms", { name, memberIds: members.map((m) => m.id) });
  if (res.status !== 201) throw new Error(`create room failed: ${res.status} ${res.text}`);
  return res.body.room;
}

export async function sendText(user: TestUser, roomId: number, text: string, extra: Record<string, unknown> = {}) {
  const res = await user.api.post(`/api/rooms/${roomId}/messages`, { type: "text", body: { text }, ...extra });
  if (res.status !== 201) throw new Error(`send failed: ${res.status} ${res.text}`);
  return res.body.message;
}
