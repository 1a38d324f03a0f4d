// The ceilings the figures are shares of, measured in the same run on the same machine:
// (a) an Express 5 hello server (bench/children/express-hello.ts) driven by the same load generator
//     with the same requests as the message ingest (C connections, T seconds, same paths, headers
//     and bodies): the ingest goal is a share of it;
// (b) a raw keep-alive POST loop over one connection, one request in flight, to the same receiver
//     the webhooks post to, with a webhook-sized body and headers: undici Client (the ceiling of
//     one webhook's delivery rate) and node:http Agent (for reference); the better of two rounds each.
import { forkChild } from "../lib/child.ts";
import { closedLoop, summary, type Ctx } from "../lib/context.ts";

export async function expressHello(ctx: Ctx) {
  const { settings } = ctx;
  const hello = await forkChild("express-hello");
  try {
    const origin = await hello.call<string>("origin");
    // The same shape as the ingest: one path per room, a bearer token of a JWT's length.
    const token = "e".repeat(150);
    const targets = Array.from({ length: settings.rooms }, (_, i) => ({ origin, path: `/api/rooms/${i + 1}/messages`, token }));
    ctx.log("ceiling (a): Express hello");
    await closedLoop(ctx, targets, { durationS: settings.warmupS, wantIds: false });
    const run = summary(await closedLoop(ctx, targets, { durationS: settings.durationS, wantIds: false }));
    ctx.ceilings.expressHelloPerSecond = run.acceptedPerSecond;
    return { requestsPerSecond: run.acceptedPerSecond, connections: settings.concurrency, ...run };
  } finally {
    await hello.stop();
  }
}

/** A message.created body and headers of the size the server sends. */
function webhookSized() {
  const now = Date.now();
  const message = {
    id: 24006, fromUserId: 54, totalUserCount: 1, deliveredCount: 0, seenCount: 0, roomId: 438, type: "text",
    body: { text: "bench message 123456 the quick brown fox" }, createdAt: now, modifiedAt: now, localId: null, deleted: false, replyId: null,
  };
  const body = JSON.stringify({
    type: "ceiling", timestamp: now,
    data: { message, fromUser: { displayName: "b1a2b3_1", avatarFileId: null }, room: { name: "ingest 1", avatarFileId: null } },
    headers: { "Content-Type": "application/json", "Verification-Signature": "9JOLCJUVylQxxdhX" },
  });
  const headers = {
    "content-type": "application/json",
    "verification-signature": "9JOLCJUVylQxxdhX",
    "user-agent": "hookroom-bench",
    "webhook-id": "evt_0123456789abcdefghij",
    "webhook-timestamp": String(Math.floor(now / 1000)),
    "webhook-signature": `v1,${"A".repeat(43)}=`,
    "x-signature": "f".repeat(64),
    "x-webhook-event": "message.created",
  };
  return { body, headers };
}

export async function rawPost(ctx: Ctx) {
  ctx.log("ceiling (b): raw keep-alive POST loop, one connection");
  const { body, headers } = webhookSized();
  const r = await ctx.loadgen.call<{ undiciClient: { perSecond: number }; nodeHttpAgent: { perSecond: number } }>("ceiling", {
    url: `${ctx.receiverUrl}/ceiling`,
    body,
    headers,
    durationS: ctx.settings.ceilingS,
  });
  ctx.ceilings.rawPostPerSecond = r.undiciClient.perSecond;
  return { bodyBytes: Buffer.byteLength(body), ...r };
}
