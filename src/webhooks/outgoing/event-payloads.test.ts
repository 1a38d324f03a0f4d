// The bodies receivers get, byte for byte: each event's builder keeps the contract's key order
// (the message.created example of docs/api.md and the README), and drops whatever else its inputs carry.
import { describe, expect, it } from "vitest";
import { memberEventData, messageEventData, pingEventData, roomEventData } from "./event-payloads.ts";
import { buildPayload } from "./outbox/payloads.ts";

const message = {
  id: 24006, fromUserId: 54, totalUserCount: 3, deliveredCount: 0, seenCount: 0, roomId: 438, type: "text",
  body: { text: "test" }, createdAt: 1667548137257, modifiedAt: 1667548137257, localId: null, deleted: false, replyId: null,
};

describe("webhook event payloads", () => {
  it("message.created is Spika's body, key for key", () => {
    const body = buildPayload({
      event: "message.created",
      at: 1667548137300,
      // Extra fields of the rows it is built from never reach the receiver.
      data: messageEventData(message, { displayName: "Stjepan", avatarFileId: 88, id: 54 } as never, { name: "tstt", avatarFileId: 88, id: 438 } as never),
      verificationSignature: "9JOLCJUVylQxxdhX",
    });
    expect(body).toBe(
      '{"type":"message.created","timestamp":1667548137300,"data":{"message":{"id":24006,"fromUserId":54,"totalUserCount":3,' +
        '"deliveredCount":0,"seenCount":0,"roomId":438,"type":"text","body":{"text":"test"},"createdAt":1667548137257,' +
        '"modifiedAt":1667548137257,"localId":null,"deleted":false,"replyId":null},"fromUser":{"displayName":"Stjepan","avatarFileId":88},' +
        '"room":{"name":"tstt","avatarFileId":88}},"headers":{"Content-Type":"application/json","Verification-Signature":"9JOLCJUVylQxxdhX"}}',
    );
  });

  it("membership, room and ping events carry their own data", () => {
    const room = { id: 1, name: "r", avatarFileId: null, createdAt: 5, modifiedAt: 6 };
    const user = { id: 2, username: "ann", displayName: "Ann", avatarFileId: 7, isBot: false };
    const by = { id: 3, username: "bob", displayName: "Bob", avatarFileId: null };
    expect(JSON.stringify(memberEventData(room, user, by))).toBe(
      '{"room":{"id":1,"name":"r","avatarFileId":null},"user":{"id":2,"username":"ann","displayName":"Ann","avatarFileId":7},' +
        '"byUser":{"id":3,"username":"bob","displayName":"Bob","avatarFileId":null}}',
    );
    expect(JSON.stringify(roomEventData(room, by))).toBe('{"room":{"id":1,"name":"r","avatarFileId":null},"byUser":{"id":3,"username":"bob","displayName":"Bob","avatarFileId":null}}');
    expect(JSON.stringify(pingEventData({ id: 9, name: "CI", secret: "x" } as never))).toBe('{"webhook":{"id":9,"name":"CI"}}');
  });
});
