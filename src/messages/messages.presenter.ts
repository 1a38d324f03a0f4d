// A message as clients and webhook receivers see it: Spika's shape, times in epoch ms.
import type { MessageDto } from "../contracts/messages.ts";

export type MessageRow = {
  id: number;
  fromUserId: number;
  totalUserCount: number;
  deliveredCount: number;
  seenCount: number;
  roomId: number;
  type: string;
  body: string;
  createdAt: Date;
  modifiedAt: Date;
  localId: string | null;
  deleted: boolean;
  replyId: number | null;
  source: string;
};

export function presentMessage(m: MessageRow): MessageDto {
  return {
    id: m.id,
    fromUserId: m.fromUserId,
    totalUserCount: m.totalUserCount,
    deliveredCount: m.deliveredCount,
    seenCount: m.seenCount,
    roomId: m.roomId,
    type: m.type,
    body: JSON.parse(m.body),
    createdAt: m.createdAt.getTime(),
    modifiedAt: m.modifiedAt.getTime(),
    localId: m.localId,
    deleted: m.deleted,
    replyId: m.replyId,
  } satisfies MessageDto;
}
