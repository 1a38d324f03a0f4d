// Display names of senders: room members first, then users looked up (webhook bots).
import { useCallback } from "react";
import type { UserDto } from "../../api/types.ts";
import { useChat, useStore } from "../../state/chat-context.tsx";

export interface Sender {
  name: string;
  isBot: boolean;
  isMe: boolean;
}

export function useSenders(roomId: number): (userId: number) => Sender {
  const store = useStore();
  const members = useChat((s) => s.details[roomId]?.members);
  const users = useChat((s) => s.users);
  return useCallback(
    (userId: number): Sender => {
      if (userId === store.me.id) return { name: store.me.displayName, isBot: false, isMe: true };
      const member = members?.find((m) => m.userId === userId);
      if (member) return { name: member.displayName, isBot: false, isMe: false };
      const user: UserDto | null | undefined = users[userId];
      if (user === undefined && members) store.lookupUser(userId);
      if (user) return { name: user.displayName, isBot: user.isBot === true, isMe: false };
      // Not a member and not known: a webhook's bot (or someone who left).
      return { name: members ? "Webhook bot" : "…", isBot: Boolean(members), isMe: false };
    },
    [store, members, users],
  );
}
