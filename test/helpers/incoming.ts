// Incoming hooks through the real API: create one, post to it as an outside system would, read
// the room's messages and the hook's request log.
import { createHmac } from "node:crypto";
import { expect } from "vitest";
import { hmacKey } from "../../src/webhooks/signatures.ts";
import { request, type ApiResponse } from "./api.ts";
import type { TestUser } from "./factories.ts";

import type { HookRequestDto, IncomingWebhookDto } from "../../src/contracts/index.ts";

export type { HookRequestDto, IncomingWebhookDto };

export async function createHook(admin: TestUser, roomId: number, body: Record<string, unknown> = {}): Promise<IncomingWebhookDto> {
  const res = await admin.api.post(`/api/rooms/${roomId}/incoming-webhooks`, { name: "Hook", ...body });
  expect(res.status, res.text).toBe(201);
  return res.body.incomingWebhook;
}

/** POSTs raw bytes to a hook (JSON by default), as curl or another system would. */
export function postHook(
  baseUrl: string,
  hook: { id: number },
  raw: string | Buffer,
  headers: Record<string, string> = {},
  query = "",
): Promise<ApiResponse> {
  return request(baseUrl, "POST", `/api/hooks/${hook.id}${query}`, { raw, headers: { "content-type": "application/json", ...headers } });
}

export const signBody = (secret: string, raw: string | Buffer, encoding: "base64" | "hex") =>
  createHmac("sha256", hmacKey(secret)).update(raw).digest(encoding);

/** Every message of a room, oldest first, as its text. */
export async function roomTexts(user: TestUser, roomId: number): Promise<string[]> {
  const res = await user.api.get(`/api/rooms/${roomId}/messages?limit=100`);
  expect(res.status, res.text).toBe(200);
  return (res.body.messages as { body: { text: string } }[]).reverse().map((m) => m.body.text);
}

export async function hookRequests(admin: TestUser, hook: IncomingWebhookDto): Promise<HookRequestDto[]> {
  const res = await admin.api.get(`/api/rooms/${hook.roomId}/incoming-webhooks/${hook.id}/requests`);
  expect(res.status, res.text).toBe(200);
  return res.body.requests;
}

export { expectError } from "./errors.ts";
