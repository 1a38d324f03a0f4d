// The user's inspector bins: from the server, with this browser's list as a fallback
// (kept so the page still lists bins if the list route is unavailable).
import { inspectorApi } from "../../api/inspector.ts";
import type { BinDto } from "../../api/types.ts";
import { readJsonItem, writeJsonItem } from "../../lib/session-storage.ts";

const key = (userId: number) => `hookroom.bins.${userId}`;

export function listLocalBins(userId: number): BinDto[] {
  return readJsonItem<BinDto[]>(key(userId), []);
}

export function rememberBin(userId: number, bin: BinDto): BinDto[] {
  const bins = [bin, ...listLocalBins(userId).filter((b) => b.id !== bin.id)].slice(0, 20);
  writeJsonItem(key(userId), bins);
  return bins;
}

export function forgetBin(userId: number, binId: string): BinDto[] {
  const bins = listLocalBins(userId).filter((b) => b.id !== binId);
  writeJsonItem(key(userId), bins);
  return bins;
}

export async function loadBins(userId: number): Promise<BinDto[]> {
  try {
    const { bins } = await inspectorApi.listBins();
    writeJsonItem(key(userId), bins.slice(0, 20));
    return bins;
  } catch {
    return listLocalBins(userId);
  }
}
