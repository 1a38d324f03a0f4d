// Bearer-token authentication for the API: sets req.userId or answers 401.
import type { Request, RequestHandler } from "express";
import type { TokenService } from "../auth/tokens.ts";
import type { Db } from "../db/client.ts";
import { unauthorized } from "./errors.ts";

declare module "express-serve-static-core" {
  interface Request {
    userId?: number;
  }
}

/** Resolves a token to an existing user's id; users are never deleted, so known ids are cached. */
export function createAuthenticator(db: Db, tokens: TokenService) {
  const known = new Set<number>();
  return async function authenticate(token: string | undefined): Promise<number | undefined> {
    const userId = token ? tokens.verify(token) : undefined;
    if (userId === undefined) return undefined;
    if (known.has(userId)) return userId;
    const user = await db.user.findUnique({ where: { id: userId }, select: { isBot: true } });
    if (!user || user.isBot) return undefined;
    known.add(userId);
    return userId;
  };
}

export type Authenticate = ReturnType<typeof createAuthenticator>;

export function requireAuth(authenticate: Authenticate): RequestHandler {
  return async (req, _res, next) => {
    const match = /^Bearer ([^\s]+)$/.exec(req.get("authorization") ?? "");
    const userId = await authenticate(match?.[1]);
    if (userId === undefined) throw unauthorized("A valid Bearer token is required");
    req.userId = userId;
    next();
  };
}

/** The authenticated user's id (routes behind requireAuth only). */
export function currentUserId(req: Request): number {
  if (req.userId === undefined) throw unauthorized();
  return req.userId;
}
