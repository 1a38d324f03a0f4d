// The OpenAPI document: served at /api/openapi.json, it lists exactly the routes Express has
// mounted (walked from the app's router), and the response check every API helper call goes
// through (helpers/openapi-check.ts) refuses what the document does not say.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { request } from "./helpers/api.ts";
import { responseProblem } from "./helpers/openapi-check.ts";
import { startTestServer, type TestServer } from "./helpers/server.ts";

type Layer = { route?: { path: unknown; methods: Record<string, boolean> }; rawPath?: unknown; handle: { stack?: Layer[] } };

/** "METHOD /path" of every route mounted under `stack`, in OpenAPI's form (`{param}`); `all` for router.all. */
function mountedRoutes(stack: Layer[], prefix = ""): string[] {
  const found: string[] = [];
  for (const layer of stack) {
    if (layer.route) {
      // Regular expressions are the web client's fallback, not API routes.
      if (typeof layer.route.path !== "string") continue;
      for (const method of Object.keys(layer.route.methods)) found.push(`${method === "_all" ? "all" : method} ${prefix}${layer.route.path}`);
    } else if (layer.handle.stack && typeof layer.rawPath === "string") {
      found.push(...mountedRoutes(layer.handle.stack, prefix + (layer.rawPath === "/" ? "" : layer.rawPath)));
    }
  }
  return found.map((r) =>
    r
      .replace(/\{\/\*\w+\}/g, "") // an optional wildcard tail (/inspect/:binId{/*rest}) is the same route
      .replace(/:(\w+)/g, "{$1}")
      .replace(/(.)\/$/, "$1"),
  );
}

describe("OpenAPI document", () => {
  let server: TestServer;
  let doc: { openapi: string; paths: Record<string, Record<string, { responses: Record<string, unknown>; security?: unknown[] }>>; components: { securitySchemes: Record<string, unknown> } };

  beforeAll(async () => {
    server = await startTestServer();
    const res = await request(server.url, "GET", "/api/openapi.json");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    doc = res.body;
  });
  afterAll(() => server?.close());

  it("is OpenAPI 3.1 with bearer auth and the error shape", () => {
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: "http", scheme: "bearer" });
    const create = doc.paths["/api/rooms/{roomId}/webhooks"]!.post!;
    expect(create.security).toEqual([{ bearerAuth: [] }]);
    expect(Object.keys(create.responses)).toEqual(expect.arrayContaining(["201", "400", "401", "403", "404", "409", "413"]));
    expect(JSON.stringify(create.responses["400"])).toContain("#/components/schemas/Error");
  });

  it("lists every route Express has mounted, and no other", () => {
    const app = server.app.express as unknown as { router: { stack: Layer[] } };
    const mounted = new Set(mountedRoutes(app.router.stack));
    const documented = new Set(Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m} ${path}`)));
    const missing = [...mounted].filter((r) => (r.startsWith("all ") ? !documented.has(r.replace(/^all/, "post")) : !documented.has(r)));
    expect(missing, "mounted but not documented").toEqual([]);
    const captureAll = [...mounted].filter((r) => r.startsWith("all ")).map((r) => r.slice(4));
    const extra = [...documented].filter((r) => !mounted.has(r) && !captureAll.includes(r.replace(/^\w+ /, "")));
    expect(extra, "documented but not mounted").toEqual([]);
    expect(mounted.size).toBeGreaterThan(40);
  });

  it("the response check refuses an undocumented status, a field too many or too few, and a foreign error shape", () => {
    const room = { id: 5, name: "x", avatarFileId: null, createdAt: 1, modifiedAt: 1 };
    expect(responseProblem("GET", "/api/rooms/5", 200, "application/json", { room })).toBeNull();
    expect(responseProblem("GET", "/api/rooms/5", 200, "application/json", { room: { ...room, extra: 1 } })).toMatch(/additional properties/);
    expect(responseProblem("GET", "/api/rooms/5", 200, "application/json", { room: { id: 5 } })).toMatch(/required property 'name'/);
    expect(responseProblem("GET", "/api/rooms/5", 418, "application/json", {})).toMatch(/does not list/);
    expect(responseProblem("GET", "/api/nowhere", 404, "application/json", { message: "no" })).toMatch(/error shape/);
  });

  it("serves only the reference page's own files: the package's demo index and initializer, and anything else, are 404 in the error shape", async () => {
    expect((await request(server.url, "GET", "/api/docs/assets/swagger-ui-bundle.js", { unchecked: true })).status).toBe(200);
    for (const file of ["index.html", "swagger-initializer.js", "../package.json", "nothing.js"]) {
      const res = await request(server.url, "GET", `/api/docs/assets/${file}`, { unchecked: true });
      expect(res.status, file).toBe(404);
      expect(res.body.error.code, file).toBe("not_found");
    }
    // Read-only routes: another method is not found either.
    const post = await request(server.url, "POST", "/api/openapi.json", { body: {}, unchecked: true });
    expect(post.status).toBe(404);
    expect(post.body.error.code).toBe("not_found");
  });
});
