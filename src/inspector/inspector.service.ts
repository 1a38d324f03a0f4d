// The built-in request inspector (a small webhook.site): bins owned by a user catch any request
// sent to their URL; the owner lists them, watches them live and checks their signatures.
import { nanoid } from "nanoid";
import type { AppContext } from "../app-context.ts";
import { prismaTransaction } from "../db/transaction.ts";
import { conflict, notFound } from "../http/errors.ts";
import { storeBody, wholeBody } from "./captured-body.ts";
import { presentBin, presentRequest, presentWholeRequest } from "./inspector.presenter.ts";
import { checkSignatures } from "./signature-check.ts";

type Deps = Pick<AppContext, "db" | "bus" | "publicUrl">;

/** Requests kept per bin; older ones are deleted as new ones arrive. */
export const KEEP_PER_BIN = 100;
/** Bytes of bodies kept per bin; the oldest requests go first. */
export const BIN_BODY_BUDGET = 10 * 1024 * 1024;
/** Bins per user: each can hold up to 10 MiB of captured bodies. */
export const MAX_BINS_PER_USER = 50;

/** Every column but the body's tail: what lists and pushes read. */
const withoutTail = { bodyTail: true } as const;

export async function createBin(deps: Deps, userId: number) {
  const count = await deps.db.inspectorBin.count({ where: { ownerId: userId } });
  if (count >= MAX_BINS_PER_USER) throw conflict(`You already have ${MAX_BINS_PER_USER} bins: delete one first`);
  // nanoid: 21 URL-safe characters from the CSPRNG (~126 bits), so a bin URL cannot be guessed.
  const bin = await deps.db.inspectorBin.create({ data: { id: nanoid(), ownerId: userId } });
  return { bin: presentBin(bin, deps.publicUrl()) };
}

export async function listBins(deps: Deps, userId: number) {
  const bins = await deps.db.inspectorBin.findMany({ where: { ownerId: userId }, orderBy: { createdAt: "desc" } });
  return { bins: bins.map((b) => presentBin(b, deps.publicUrl())) };
}

/** The caller's bin, else 404 (another user's bin is as unknown as a missing one). */
async function ownBin(deps: Deps, userId: number, binId: string) {
  const bin = await deps.db.inspectorBin.findUnique({ where: { id: binId } });
  if (!bin || bin.ownerId !== userId) throw notFound("Bin");
  return bin;
}

export async function getBin(deps: Deps, userId: number, binId: string) {
  return { bin: presentBin(await ownBin(deps, userId, binId), deps.publicUrl()) };
}

export async function deleteBin(deps: Deps, userId: number, binId: string) {
  await ownBin(deps, userId, binId);
  await deps.db.inspectorBin.delete({ where: { id: binId } });
}

export async function listRequests(deps: Deps, userId: number, binId: string) {
  await ownBin(deps, userId, binId);
  const rows = await deps.db.inspectorRequest.findMany({ where: { binId }, orderBy: { id: "desc" }, take: KEEP_PER_BIN, omit: withoutTail });
  return { requests: rows.map(presentRequest) };
}

async function ownRequest(deps: Deps, userId: number, binId: string, requestId: number) {
  await ownBin(deps, userId, binId);
  const row = await deps.db.inspectorRequest.findFirst({ where: { id: requestId, binId } });
  if (!row) throw notFound("Request");
  return row;
}

/** One request with its whole body. */
export async function getRequest(deps: Deps, userId: number, binId: string, requestId: number) {
  return { request: presentWholeRequest(await ownRequest(deps, userId, binId, requestId)) };
}

export async function verifyRequest(deps: Deps, userId: number, binId: string, requestId: number, secret: string) {
  const row = await ownRequest(deps, userId, binId, requestId);
  return checkSignatures({ headers: JSON.parse(row.headers), body: wholeBody(row), at: row.at.getTime() }, secret);
}

export interface CapturedRequest {
  method: string;
  path: string;
  query: Record<string, string | string[]>;
  headers: Record<string, string | string[]>;
  /** The raw bytes received. */
  body: Buffer;
  sourceIp: string;
}

/** Keeps a request sent to a bin, trims the bin to its limits, and tells the watchers. */
export async function captureRequest(deps: Deps, binId: string, captured: CapturedRequest) {
  const bin = await deps.db.inspectorBin.findUnique({ where: { id: binId }, select: { id: true } });
  if (!bin) throw notFound("Bin");
  const request = await prismaTransaction(deps, async (tx, after) => {
    const row = await tx.inspectorRequest.create({
      data: {
        binId,
        method: captured.method,
        path: captured.path,
        query: JSON.stringify(captured.query),
        headers: JSON.stringify(captured.headers),
        ...storeBody(captured.body),
        sourceIp: captured.sourceIp,
      },
      omit: withoutTail,
    });
    const request = presentRequest(row);
    // The trim runs after the commit, on its own: it must see the captures committed beside this one (see trimBin).
    after.run(() => trimBin(deps, binId));
    after.publish("inspector.request", { binId, request });
    return request;
  });
  return { request };
}

/**
 * Keeps the newest requests that fit both limits (100 requests, 10 MiB of bodies) and deletes the
 * rest. Each capture trims after its own insert, so once concurrent captures finish the bin fits.
 */
async function trimBin(deps: Deps, binId: string) {
  const newest = await deps.db.inspectorRequest.findMany({
    where: { binId },
    orderBy: { id: "desc" },
    take: KEEP_PER_BIN + 1,
    select: { id: true, bodySize: true },
  });
  let bytes = 0;
  const firstDropped = newest.find((r, i) => (bytes += r.bodySize) > BIN_BODY_BUDGET || i >= KEEP_PER_BIN);
  if (firstDropped) await deps.db.inspectorRequest.deleteMany({ where: { binId, id: { lte: firstDropped.id } } });
}
