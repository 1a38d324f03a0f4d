// Serves the built web client (web/dist) with a fallback to index.html for client-side routes.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import express, { Router } from "express";

const distDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../web/dist");

export function staticClient(): Router {
  const router = Router();
  const index = path.join(distDir, "index.html");
  router.use(express.static(distDir, { index: false, maxAge: "1h" }));
  router.get(/^\/(?!api\/|socket\.io\/|inspect\/|healthz$|readyz$|metrics$).*/, (_req, res) => {
    if (fs.existsSync(index)) {
      res.setHeader("Cache-Control", "no-cache");
      res.sendFile(index);
    } else {
      res.type("html").send("<!doctype html><title>Chat</title><p>The web client is not built yet: run <code>npm run build:web</code>.</p>");
    }
  });
  return router;
}
