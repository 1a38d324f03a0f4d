import { describe, expect, it } from "vitest";
import type { DeliveryDto } from "../api/types.ts";
import { foldChange, localDateTimeValue, matchesFilter, mergeFirstPage, parseLocalDateTime } from "./deliveries.ts";

const d = (id: number, status: DeliveryDto["status"] = "succeeded", event = "message.created"): DeliveryDto => ({
  id, webhookId: 1, eventId: `e${id}`, event, status, attempts: 1, nextAttemptAt: null, lastStatusCode: 200, createdAt: id, completedAt: id, durationMs: 5,
});
const ids = (list: DeliveryDto[]) => list.map((x) => x.id);

describe("the delivery log's list", () => {
  it("filters by status and event", () => {
    expect(matchesFilter(d(1, "dead"), { status: "dead" })).toBe(true);
    expect(matchesFilter(d(1, "dead"), { status: "failed" })).toBe(false);
    expect(matchesFilter(d(1, "dead", "member.added"), { event: "member.added", status: "dead" })).toBe(true);
    expect(matchesFilter(d(1), { event: "member.added" })).toBe(false);
  });

  it("folds live changes in: new ones on top, updates in place, ones leaving the filter dropped", () => {
    const list = [d(5, "failed"), d(3, "failed")];
    expect(ids(foldChange(list, d(7, "failed"), {}))).toEqual([7, 5, 3]);
    expect(foldChange(list, d(5, "dead"), {})[0]!.status).toBe("dead");
    expect(ids(foldChange(list, d(5, "dead"), { status: "failed" }))).toEqual([3]);
    expect(ids(foldChange(list, d(9, "dead"), { status: "failed" }))).toEqual([5, 3]);
    // Older than every loaded one: it belongs to a page not loaded yet.
    expect(ids(foldChange(list, d(1, "failed"), {}))).toEqual([5, 3]);
    expect(ids(foldChange([], d(1), {}))).toEqual([1]);
  });

  it("merges a refreshed first page over the older pages already loaded", () => {
    const loaded = [d(10), d(9), d(8), d(7), d(6)];
    expect(ids(mergeFirstPage(loaded, [d(12), d(11), d(10)], 3))).toEqual([12, 11, 10, 9, 8, 7, 6]);
    expect(ids(mergeFirstPage(loaded, [d(12), d(11)], 3))).toEqual([12, 11]);
  });

  it("reads and writes datetime-local values in local time", () => {
    const ms = new Date(2026, 0, 2, 3, 4).getTime();
    expect(localDateTimeValue(ms)).toBe("2026-01-02T03:04");
    expect(parseLocalDateTime("2026-01-02T03:04")).toBe(ms);
    expect(parseLocalDateTime("")).toBeNull();
    expect(parseLocalDateTime("yesterday")).toBeNull();
  });
});
