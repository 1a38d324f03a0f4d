import { Router } from "express";
import type { AppContext } from "../app-context.ts";
import { currentUserId } from "../http/auth-middleware.ts";
import { params, query } from "../http/validate.ts";
import { userParams, userSearchQuery } from "./users.schema.ts";
import * as users from "./users.service.ts";

export function usersRoutes(ctx: AppContext): Router {
  const router = Router();

  router.get("/me", async (req, res) => {
    res.json(await users.getUser(ctx, currentUserId(req)));
  });

  router.get("/", async (req, res) => {
    const { search } = query(req, userSearchQuery);
    res.json(await users.searchUsers(ctx, search?.trim()));
  });

  // Any signed-in user may look up a user's public profile (bots included, for message senders).
  router.get("/:userId", async (req, res) => {
    const { userId } = params(req, userParams);
    res.json(await users.getUser(ctx, userId));
  });

  return router;
}
