// /healthz (process up), /readyz (database reachable and workers running), /metrics (Prometheus).
import { Router } from "express";
import type { AppContext } from "../app-context.ts";
import type { Worker } from "../worker.ts";

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
  router.get("/metrics", async (_req, res) => {
    res.type(ctx.metrics.registry.contentType).send(await ctx.metrics.registry.metrics());
  });
  return router;
}
