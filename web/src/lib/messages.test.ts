import { describe, expect, it } from "vitest";
import type { MessageDto } from "../api/types.ts";
import {
  addPending,
  applyCounts,
  createPending,
  mergeMessages,
  oldestId,
  pendingMessages,
  setSendState,
  tickOf,
  type ChatMessage,
} from "./messages.ts";

function msg(id: number, extra: Partial<MessageDto> = {}): MessageDto {
  return {
    id,
    fromUserId: 1,
    totalUserCount: 3,
    deliveredCount: 0,
    seenCount: 0,
    roomId: 7,
    type: "text",
    body: { text: `m${id}` },
    createdAt: 1000 + id,
    modifiedAt: 1000 + id,
    localId: null,
    deleted: false,
    replyId: null,
    ...extra,
  };
}

const pending = (localId: string, text = "hi") =>
  createPending({ roomId: 7, fromUserId: 1, text, localId, replyId: null, totalUserCount: 3, now: 5000 });

describe("mergeMessages", () => {
  it("keeps messages oldest first whatever order they arrive in (history is newest first)", () => {
    const list = mergeMessages([], [msg(3), msg(2), msg(1)]);
    expect(list.map((m) => m.id)).toEqual([1, 2, 3]);
  });

  it("does not duplicate a message seen twice (socket event and history page)", () => {
    const list = mergeMessages(mergeMessages([], [msg(1), msg(2)]), [msg(2), msg(3)]);
    expect(list.map((m) => m.id)).toEqual([1, 2, 3]);
  });

  it("replaces the pending copy when the server's message with the same localId arrives", () => {
    let list: ChatMessage[] = addPending(mergeMessages([], [msg(1)]), pending("a"));
    expect(list).toHaveLength(2);
    list = mergeMessages(list, [msg(2, { localId: "a", body: { text: "hi" } })]);
    expect(list.map((m) => m.id)).toEqual([1, 2]);
    expect(list[1]!.sendState).toBeUndefined();
    // the acknowledgement arriving after the broadcast changes nothing
    list = mergeMessages(list, [msg(2, { localId: "a", body: { text: "hi" } })]);
    expect(list).toHaveLength(2);
  });

  it("does not confuse another user's localId with one's own", () => {
    const list = mergeMessages([pending("a")], [msg(9, { fromUserId: 2, localId: "a" })]);
    expect(list.map((m) => m.id < 0)).toEqual([false, true]);
  });

  it("keeps pending messages after confirmed ones, in the order they were written", () => {
    const first = pending("x");
    const second = createPending({ roomId: 7, fromUserId: 1, text: "b", localId: "y", replyId: null, totalUserCount: 3, now: 6000 });
    const list = mergeMessages(addPending(addPending([], first), second), [msg(4)]);
    expect(list.map((m) => m.localId ?? m.id)).toEqual([4, "x", "y"]);
    expect(pendingMessages(list).map((m) => m.localId)).toEqual(["x", "y"]);
  });

  it("applies edits, ignores stale copies and never un-deletes", () => {
    let list = mergeMessages([], [msg(1)]);
    list = mergeMessages(list, [msg(1, { body: { text: "edited" }, modifiedAt: 9000 })]);
    list = mergeMessages(list, [msg(1)]); // an old copy from a history page
    expect(list[0]!.body.text).toBe("edited");
    list = mergeMessages(list, [msg(1, { deleted: true, modifiedAt: 9500 })]);
    list = mergeMessages(list, [msg(1, { modifiedAt: 9999 })]);
    expect(list[0]!.deleted).toBe(true);
  });

  it("keeps the highest delivery counts when copies arrive out of order", () => {
    let list = mergeMessages([], [msg(1, { deliveredCount: 2, seenCount: 1 })]);
    list = mergeMessages(list, [msg(1, { deliveredCount: 1, seenCount: 0, modifiedAt: 5000 })]);
    expect([list[0]!.deliveredCount, list[0]!.seenCount]).toEqual([2, 1]);
  });
});

describe("counts and ticks", () => {
  it("raises counts, treats seen as delivered, and never lowers them", () => {
    let list = mergeMessages([], [msg(1)]);
    list = applyCounts(list, { messageId: 1, deliveredCount: 0, seenCount: 2 });
    expect([list[0]!.deliveredCount, list[0]!.seenCount]).toEqual([2, 2]);
    list = applyCounts(list, { messageId: 1, deliveredCount: 1, seenCount: 1 });
    expect([list[0]!.deliveredCount, list[0]!.seenCount]).toEqual([2, 2]);
  });

  it("derives the tick from counts that exclude the author", () => {
    expect(tickOf(msg(1))).toBe("sent");
    expect(tickOf(msg(1, { deliveredCount: 1 }))).toBe("sent");
    expect(tickOf(msg(1, { deliveredCount: 2 }))).toBe("delivered");
    expect(tickOf(msg(1, { deliveredCount: 2, seenCount: 2 }))).toBe("seen");
    expect(tickOf(msg(1, { totalUserCount: 1 }))).toBe("sent");
    expect(tickOf(pending("z"))).toBe("sending");
    expect(tickOf(setSendState([pending("z")], "z", "failed")[0]!)).toBe("failed");
  });
});

describe("oldestId", () => {
  it("is the smallest confirmed id, ignoring pending messages", () => {
    expect(oldestId([])).toBeNull();
    expect(oldestId([pending("q")])).toBeNull();
    expect(oldestId(addPending(mergeMessages([], [msg(5), msg(8)]), pending("q")))).toBe(5);
  });
});
