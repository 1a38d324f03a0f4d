import { Router } from "express";
import { z } from "zod";
import type { AppContext } from "../app-context.ts";
import { currentUserId } from "../http/auth-middleware.ts";
import { notFound } from "../http/errors.ts";
import { id, params, query } from "../http/validate.ts";
import { presentUser, userSelect } from "./users.presenter.ts";
import { isPostgres } from "../config.ts";
import { searchUsers } from "./user-search.ts";

const searchQuery = z.object({ search: z.string().max(64).optional() });

export function usersRoutes(ctx: AppContext): Router {
  const router = Router();

  router.get("/me", async (req, res) => {
    const user = await ctx.db.user.findUnique({ where: { id: currentUserId(req) }, select: userSelect });
    if (!user) throw notFound("User");
    res.json({ user: presentUser(user) });
  });

  router.get("/", async (req, res) => {
    const { search } = query(req, searchQuery);
    const users = await searchUsers(ctx.db, search?.trim(), isPostgres(ctx.config.databaseUrl));
    res.json({ users: users.map(presentUser) });
  });

  // Any signed-in user may look up a user's public profile (bots included, for message senders).
  router.get("/:userId", async (req, res) => {
    const { userId } = params(req, z.object({ userId: id }));
    const user = await ctx.db.user.findUnique({ where: { id: userId }, select: userSelect });
    if (!user) throw notFound("User");
    res.json({ user: presentUser(user) });
  });

  return router;
}
