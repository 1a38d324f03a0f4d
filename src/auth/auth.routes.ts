import { Router } from "express";
import type { AppContext } from "../app-context.ts";
import { body } from "../http/validate.ts";
import { loginBody, registerBody } from "./auth.schema.ts";
import { login, register } from "./auth.service.ts";

export function authRoutes(ctx: AppContext): Router {
  const router = Router();
  router.post("/register", async (req, res) => {
    res.status(201).json(await register(ctx.db, ctx.tokens, body(req, registerBody)));
  });
  router.post("/login", async (req, res) => {
    res.json(await login(ctx.db, ctx.tokens, body(req, loginBody)));
  });
  return router;
}
