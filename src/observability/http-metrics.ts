// Counts every HTTP request by method, matched route pattern (not the raw path) and status.
import type { RequestHandler } from "express";
import type { Metrics } from "./metrics.ts";

export function countRequests(metrics: Metrics): RequestHandler {
  return (req, res, next) => {
    res.on("finish", () => {
      // Routers mounted under a parameter (/api/rooms/:roomId/...) see real ids in baseUrl: fold them,
      // so the label set stays bounded.
      const base = req.baseUrl.replace(/\/[^/]*\d[^/]*(?=\/|$)/g, "/:id");
      const route = req.route?.path ? `${base}${String(req.route.path)}` : "unmatched";
      metrics.httpRequests.inc({ method: req.method, route, status: String(res.statusCode) });
    });
    next();
  };
}
