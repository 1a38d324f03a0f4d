import { Router } from "express";
import { z } from "zod";
import type { AppContext } from "../app-context.ts";
import { currentUserId } from "../http/auth-middleware.ts";
import { id, params, query } from "../http/validate.ts";
import * as users from "./users.service.ts";

const searchQuery = z.object({ search: z.string().max(64).optional() });

export function usersRoutes(ctx: AppContext): Router {
  const router = Router();

  router.get("/me", async (req, res) => {
    res.json(await users.getUser(ctx, currentUserId(req)));
  });

  router.get("/", async (req, res) => {
    const { search } = query(req, searchQuery);
    res.json(await users.searchUsers(ctx, search?.trim()));
  });

  // Any signed-in user may look up a user's public profile (bots included, for message senders).
  router.get("/:userId", async (req, res) => {
    const { userId } = params(req, z.object({ userId: id }));
    res.json(await users.getUser(ctx, userId));
  });

  return router;
}
