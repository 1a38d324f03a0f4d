// The built-in request inspector (a small webhook.site): bins owned by a user catch any request
// sent to their URL; the owner lists them, watches them live and checks their signatures.
import { nanoid } from "nanoid";
import type { AppContext } from "../app-context.ts";
import { conflict, notFound } from "../http/errors.ts";
import { presentBin, presentRequest } from "./inspector.presenter.ts";
import { checkSignatures } from "./signature-check.ts";

type Deps = Pick<AppContext, "db" | "bus" | "publicUrl">;

/** Requests kept per bin; older ones are deleted as new ones arrive. */
export const KEEP_PER_BIN = 100;
/** Bins per user: each can hold up to 100 MiB of captured bodies. */
export const MAX_BINS_PER_USER = 50;

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
  const rows = await deps.db.inspectorRequest.findMany({ where: { binId }, orderBy: { id: "desc" }, take: KEEP_PER_BIN });
  return { requests: rows.map(presentRequest) };
}

export async function verifyRequest(deps: Deps, userId: number, binId: string, requestId: number, secret: string) {
  await ownBin(deps, userId, binId);
  const row = await deps.db.inspectorRequest.findFirst({ where: { id: requestId, binId } });
  if (!row) throw notFound("Request");
  return checkSignatures(presentRequest(row), secret);
}

export interface CapturedRequest {
  method: string;
  path: string;
  query: Record<string, string | string[]>;
  headers: Record<string, string | string[]>;
  body: string;
  sourceIp: string;
}

/** Keeps a request sent to a bin, trims the bin to its last 100, and tells the watchers. */
export async function captureRequest(deps: Deps, binId: string, captured: CapturedRequest) {
  const bin = await deps.db.inspectorBin.findUnique({ where: { id: binId }, select: { id: true } });
  if (!bin) throw notFound("Bin");
  const row = await deps.db.inspectorRequest.create({
    data: {
      binId,
      method: captured.method,
      path: captured.path,
      query: JSON.stringify(captured.query),
      headers: JSON.stringify(captured.headers),
      body: captured.body,
      sourceIp: captured.sourceIp,
    },
  });
  await trimBin(deps, binId);
  const request = presentRequest(row);
  deps.bus.publish("inspector.request", { binId, request });
  return { request };
}

/** Each capture trims after its own insert, so once concurrent captures finish at most 100 remain. */
async function trimBin(deps: Deps, binId: string) {
  const cutoff = await deps.db.inspectorRequest.findFirst({
    where: { binId },
    orderBy: { id: "desc" },
    skip: KEEP_PER_BIN,
    select: { id: true },
  });
  if (cutoff) await deps.db.inspectorRequest.deleteMany({ where: { binId, id: { lte: cutoff.id } } });
}
