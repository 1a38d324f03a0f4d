// Registration and login.
import type { z } from "zod";
import type { Db } from "../db/client.ts";
import { conflict, unauthorized } from "../http/errors.ts";
import { presentUser, userSelect } from "../users/users.presenter.ts";
import { hashPassword, verifyPassword } from "./passwords.ts";
import type { TokenService } from "./tokens.ts";
import type { loginBody, registerBody } from "./auth.schema.ts";

export async function register(db: Db, tokens: TokenService, input: z.output<typeof registerBody>) {
  const passwordHash = await hashPassword(input.password);
  try {
    const user = await db.user.create({
      data: { username: input.username, displayName: input.displayName, passwordHash },
      select: userSelect,
    });
    return { user: presentUser(user), token: tokens.sign(user.id) };
  } catch (err) {
    // The unique index decides, not a read-then-insert: two racing sign-ups get one 201 and one 409.
    if ((err as { code?: string }).code === "P2002") throw conflict("That username is taken");
    throw err;
  }
}

// Compared against when the user does not exist, so both failures take the same time.
const DUMMY_HASH = await hashPassword("not-a-real-password");

export async function login(db: Db, tokens: TokenService, input: z.output<typeof loginBody>) {
  const user = await db.user.findUnique({ where: { username: input.username } });
  const ok = await verifyPassword(input.password, user && !user.isBot ? user.passwordHash : DUMMY_HASH);
  if (!user || user.isBot || !ok) throw unauthorized("Wrong username or password");
  return { user: presentUser(user), token: tokens.sign(user.id) };
}
