// The delivery log as the settings panel keeps it: which deliveries a filter shows, live changes
// folded in, a refreshed first page merged with the older pages already loaded.
import type { DeliveryDto, DeliveryStatus } from "../api/types.ts";

export interface LogFilter {
  status?: DeliveryStatus;
  event?: string;
}

export const matchesFilter = (d: DeliveryDto, f: LogFilter) => (!f.status || d.status === f.status) && (!f.event || d.event === f.event);

/** Newest first, as the API lists them. */
const newestFirst = (list: DeliveryDto[]) => list.sort((a, b) => b.id - a.id);

/** A delivery changed (live): shown if the filter takes it, dropped if it no longer does. */
export function foldChange(list: readonly DeliveryDto[], changed: DeliveryDto, filter: LogFilter): DeliveryDto[] {
  const rest = list.filter((d) => d.id !== changed.id);
  if (!matchesFilter(changed, filter)) return rest;
  // An older delivery than every one loaded belongs to a page not loaded yet.
  const oldest = list.length ? Math.min(...list.map((d) => d.id)) : -Infinity;
  if (changed.id < oldest) return rest;
  return newestFirst([changed, ...rest]);
}

/**
 * The first page fetched again, over what is loaded: it replaces the deliveries from its oldest one
 * on, and the older pages loaded before stay (a short first page is the whole log).
 */
export function mergeFirstPage(loaded: readonly DeliveryDto[], page: readonly DeliveryDto[], limit: number): DeliveryDto[] {
  if (page.length < limit) return [...page];
  const oldest = Math.min(...page.map((d) => d.id));
  return newestFirst([...page, ...loaded.filter((d) => d.id < oldest)]);
}

/** `YYYY-MM-DDTHH:MM` in local time, as an `<input type="datetime-local">` holds it. */
export function localDateTimeValue(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** The epoch ms of a datetime-local value (local time), or null when it is not one. */
export function parseLocalDateTime(value: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?$/.test(value)) return null;
  const ms = new Date(value).getTime();
  return Number.isNaN(ms) ? null : ms;
}
