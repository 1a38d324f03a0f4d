// The public shapes of inspector bins and the requests they caught.
import type { BinDto, InspectorRequestDto } from "../contracts/inspector.ts";
import { showPreview, showWhole, type ShownBody, type StoredBody } from "./captured-body.ts";

type BinRow = { id: string; createdAt: Date };
type RequestRow = {
  id: number;
  method: string;
  path: string;
  query: string;
  headers: string;
  sourceIp: string;
  at: Date;
};

export const binUrl = (publicUrl: string, binId: string) => `${publicUrl}/inspect/${binId}`;

export const presentBin = (bin: BinRow, publicUrl: string): BinDto =>
  ({
    id: bin.id,
    url: binUrl(publicUrl, bin.id),
    createdAt: bin.createdAt.getTime(),
  }) satisfies BinDto;

const present = (r: RequestRow, body: ShownBody): InspectorRequestDto =>
  ({
    id: r.id,
    method: r.method,
    path: r.path,
    query: JSON.parse(r.query),
    headers: JSON.parse(r.headers),
    ...body,
    sourceIp: r.sourceIp,
    at: r.at.getTime(),
  }) satisfies InspectorRequestDto;

/** As lists and pushes show it: at most the first 64 KiB of the body. */
export const presentRequest = (r: RequestRow & Omit<StoredBody, "bodyTail">) => present(r, showPreview(r));

/** With the whole body. */
export const presentWholeRequest = (r: RequestRow & StoredBody) => present(r, showWhole(r));
