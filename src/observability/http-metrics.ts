// Counts every HTTP request by method, matched route pattern (not the raw path) and status.
import type { RequestHandler } from "express";
import type { Metrics } from "./metrics.ts";

export function countRequests(metrics: Metrics): RequestHandler {
  return (req, res, next) => {
    res.on("finish", () => {
      const route = req.route?.path ? `${req.baseUrl}${String(req.route.path)}` : "unmatched";
      metrics.httpRequests.inc({ method: req.method, route, status: String(res.statusCode) });
    });
    next();
  };
}
