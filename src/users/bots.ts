// Bot users: the sender identity of a webhook (its replies and notices) and of an incoming hook.
// They cannot log in, are not room members and do not appear in user search.
import { customAlphabet } from "nanoid";
import type { Tx } from "../db/client.ts";
import { NO_LOGIN } from "../auth/passwords.ts";

const suffix = customAlphabet("abcdefghijklmnopqrstuvwxyz0123456789", 12);

export async function createBotUser(tx: Tx, displayName: string): Promise<number> {
  const bot = await tx.user.create({
    data: { username: `bot.${suffix()}`, displayName, passwordHash: NO_LOGIN, isBot: true },
    select: { id: true },
  });
  return bot.id;
}

export const renameBotUser = (tx: Tx, botUserId: number, displayName: string) =>
  tx.user.update({ where: { id: botUserId }, data: { displayName } });

