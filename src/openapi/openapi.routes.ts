// GET /api/openapi.json (the document) and GET /api/docs (Swagger UI over it). The page and its
// files come from this server (swagger-ui-dist in node_modules): no CDN, no fonts, no validator
// badge (validatorUrl: null), so a reader's browser asks nothing of another origin.
import { createRequire } from "node:module";
import path from "node:path";
import express, { Router } from "express";
import pkg from "../../package.json" with { type: "json" };
import { docsSecurityHeaders } from "../http/security.ts";
import { apiRoutes } from "./api-routes.ts";
import { buildOpenApiDocument } from "./document.ts";

const swaggerUiDir = path.dirname(createRequire(import.meta.url).resolve("swagger-ui-dist/package.json"));
const DOCS_ASSETS = new Set(["/swagger-ui.css", "/swagger-ui-bundle.js"]);

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Hookroom API reference</title>
<link rel="stylesheet" href="/api/docs/assets/swagger-ui.css">
</head>
<body>
<div id="api-reference"></div>
<script src="/api/docs/assets/swagger-ui-bundle.js"></script>
<script src="/api/docs/init.js"></script>
</body>
</html>
`;

// A file of its own: the page's CSP allows scripts from 'self' only, never inline ones.
const INIT = `window.ui = SwaggerUIBundle({
  url: "/api/openapi.json",
  dom_id: "#api-reference",
  validatorUrl: null,
  deepLinking: true,
  docExpansion: "list",
});
`;

/** Mounted at /api, before the JSON parser and without auth: the reference is public, as the API's shape is. */
export function openApiRoutes(): Router {
  const router = Router();
  // Built on first request and kept by this app (the schemas do not change while it runs).
  let document: string | undefined;
  router.get("/openapi.json", (_req, res) => {
    document ??= JSON.stringify(buildOpenApiDocument(apiRoutes(), pkg.version));
    res.type("application/json").send(document);
  });
  const docs = docsSecurityHeaders();
  router.get("/docs", docs, (_req, res) => {
    res.type("html").send(PAGE);
  });
  // The page's files are assets, not API routes (the document lists /api/docs itself).
  router.use("/docs/init.js", docs, (_req, res) => {
    res.type("text/javascript").send(INIT);
  });
  // Only the two files the page loads: the package's own index.html and initializer point at the
  // petstore demo on another origin, and are never served.
  const assets = express.static(swaggerUiDir, { index: false, maxAge: "1h" });
  router.use("/docs/assets", docs, (req, res, next) => (DOCS_ASSETS.has(req.path) ? assets(req, res, next) : next()));
  return router;
}
