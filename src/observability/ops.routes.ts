// /healthz (process up), /readyz (database reachable and workers running), /metrics (Prometheus,
// behind METRICS_TOKEN when it is set).
import { createHash, timingSafeEqual } from "node:crypto";
import { Router, type RequestHandler } from "express";
import type { AppContext } from "../app-context.ts";
import type { Worker } from "../worker.ts";
import { unauthorized } from "../http/errors.ts";

/** Compares digests, so neither the token's length nor its first wrong byte shows in the timing. */
function sameSecret(given: string, expected: string): boolean {
  const digest = (s: string) => createHash("sha256").update(s).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

function requireMetricsToken(token: string | undefined): RequestHandler {
  return (req, _res, next) => {
    if (token === undefined) return next();
    const given = /^Bearer (\S+)$/.exec(req.get("authorization") ?? "")?.[1];
    if (given === undefined || !sameSecret(given, token)) throw unauthorized("/metrics needs Authorization: Bearer <METRICS_TOKEN>");
    next();
  };
}

export function opsRoutes(ctx: AppContext, workers: readonly Worker[]): Router {
  const router = Router();
  router.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
  router.get("/readyz", async (_req, res) => {
    const checks: Record<string, boolean> = {};
    checks.database = await ctx.db.$queryRawUnsafe("SELECT 1").then(
      () => true,
      () => false,
    );
    for (const w of workers) checks[w.name] = w.running();
    const ready = Object.values(checks).every(Boolean);
    res.status(ready ? 200 : 503).json({ status: ready ? "ready" : "not_ready", checks });
  });
  router.get("/metrics", requireMetricsToken(ctx.config.metricsToken), async (_req, res) => {
    res.type(ctx.metrics.registry.contentType).send(await ctx.metrics.registry.metrics());
  });
  return router;
}
