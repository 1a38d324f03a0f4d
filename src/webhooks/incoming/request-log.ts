// The request log of each incoming hook: every request to an existing hook, posted or rejected,
// with its status, the reason in words, its headers with keys and signatures redacted, and the
// first 4,096 bytes of its body. Each insert trims the hook's log to its last 100 in the same write.
import { isUtf8 } from "node:buffer";
import type { Db } from "../../db/client.ts";
import { prismaTransaction, type TransactionDeps } from "../../db/transaction.ts";
import type { HookRequestDto } from "../../contracts/incoming.ts";

export type { HookRequestDto };

export const KEEP_PER_HOOK = 100;
export const LOGGED_BODY_BYTES = 4096;

export interface HookRequestEntry {
  hookId: number;
  status: number;
  reason: string | null;
  headers: Record<string, string | string[]>;
  /** What was read of the body; only its first 4,096 bytes are kept. */
  body: Buffer;
  /** The whole body's length in bytes (as declared, when it was not all read). */
  size: number;
  messageId: number | null;
  /** The request's JSON, kept whole as the hook's sample for template previews. */
  sample?: string;
}

export async function recordHookRequest(deps: TransactionDeps, entry: HookRequestEntry): Promise<void> {
  await prismaTransaction(deps, async (tx) => {
    await tx.incomingWebhookRequest.create({
      data: {
        hookId: entry.hookId,
        status: entry.status,
        outcome: entry.messageId === null ? "rejected" : "posted",
        reason: entry.reason,
        headers: JSON.stringify(entry.headers),
        body: new Uint8Array(entry.body.subarray(0, LOGGED_BODY_BYTES)),
        size: entry.size,
        messageId: entry.messageId,
      },
      select: { id: true },
    });
    await tx.$executeRaw`DELETE FROM "IncomingWebhookRequest" WHERE "hookId" = ${entry.hookId} AND "id" <= (
      SELECT "id" FROM "IncomingWebhookRequest" WHERE "hookId" = ${entry.hookId} ORDER BY "id" DESC LIMIT 1 OFFSET ${KEEP_PER_HOOK})`;
    if (entry.sample !== undefined) {
      const sample = { body: entry.sample, at: new Date() };
      await tx.incomingWebhookSample.upsert({ where: { hookId: entry.hookId }, create: { hookId: entry.hookId, ...sample }, update: sample, select: { hookId: true } });
    }
  });
}

type RequestRow = {
  id: number;
  at: Date;
  status: number;
  outcome: string;
  reason: string | null;
  headers: string;
  body: Uint8Array;
  size: number;
  messageId: number | null;
};

export function presentHookRequest(row: RequestRow): HookRequestDto {
  const bytes = Buffer.from(row.body);
  const text = isUtf8(bytes);
  return {
    id: row.id,
    at: row.at.getTime(),
    status: row.status,
    outcome: row.outcome as HookRequestDto["outcome"],
    reason: row.reason,
    headers: JSON.parse(row.headers),
    body: text ? bytes.toString("utf8") : null,
    ...(text ? {} : { bodyBase64: bytes.toString("base64") }),
    size: row.size,
    bodyTruncated: row.size > bytes.length,
    messageId: row.messageId,
  } satisfies HookRequestDto;
}

export async function listHookRequests(db: Db, hookId: number) {
  const rows = await db.incomingWebhookRequest.findMany({ where: { hookId }, orderBy: { id: "desc" }, take: KEEP_PER_HOOK });
  return rows.map(presentHookRequest);
}

/** Header names that carry a key, token, signature or credential. */
const SENSITIVE = /key|token|secret|sign|auth|cookie|passw|session/i;
const REDACTED = "[redacted]";

/** Headers as logged: any key or signature, right or wrong, and any value holding a secret, redacted. */
export function redactHeaders(headers: Record<string, string | string[] | undefined>, secrets: string[]): Record<string, string | string[]> {
  const holdsSecret = (v: string) => secrets.some((s) => s && v.includes(s));
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const values = Array.isArray(value) ? value : [value];
    const redacted = SENSITIVE.test(name) || values.some(holdsSecret);
    out[name] = redacted ? REDACTED : value;
  }
  return out;
}
