// The public shapes of inspector bins and the requests they caught.
import type { InspectorRequestDto } from "../realtime/events.ts";

type BinRow = { id: string; createdAt: Date };
type RequestRow = {
  id: number;
  method: string;
  path: string;
  query: string;
  headers: string;
  body: string;
  sourceIp: string;
  at: Date;
};

export interface InspectorBinDto {
  id: string;
  url: string;
  createdAt: number;
}

export const binUrl = (publicUrl: string, binId: string) => `${publicUrl}/inspect/${binId}`;

export const presentBin = (bin: BinRow, publicUrl: string): InspectorBinDto => ({
  id: bin.id,
  url: binUrl(publicUrl, bin.id),
  createdAt: bin.createdAt.getTime(),
});

export const presentRequest = (r: RequestRow): InspectorRequestDto => ({
  id: r.id,
  method: r.method,
  path: r.path,
  query: JSON.parse(r.query),
  headers: JSON.parse(r.headers),
  body: r.body,
  sourceIp: r.sourceIp,
  at: r.at.getTime(),
});
