// The API's JSON body reader on the wire: what it reads itself (plain UTF-8 JSON) and what it
// leaves to Express's parser (compressed bodies, other charsets), with the same answers as before.
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, expect, it } from "vitest";
import { request } from "./helpers/api.ts";
import { buildRoom, buildUser, type TestUser } from "./helpers/factories.ts";
import { startTestServer, type TestServer } from "./helpers/server.ts";

let server: TestServer;
let alice: TestUser;
let roomId: number;
beforeAll(async () => {
  server = await startTestServer();
  alice = await buildUser(server.url);
  roomId = (await buildRoom(alice)).id;
});
afterAll(() => server.close());

const send = (raw: string | Buffer, headers: Record<string, string>) =>
  request(server.url, "POST", `/api/rooms/${roomId}/messages`, { token: alice.token, raw, headers });

it("reads JSON with or without a charset, and +json types", async () => {
  for (const type of ["application/json", "application/json; charset=utf-8", "application/json;charset=UTF-8", "application/vnd.api+json"]) {
    const res = await send(JSON.stringify({ body: { text: `as ${type}` } }), { "content-type": type });
    expect(res.status, type).toBe(201);
    expect(res.body.message.body.text).toBe(`as ${type}`);
  }
});

it("answers a top-level scalar or malformed JSON with 400, an empty body with the schema's 400", async () => {
  for (const raw of ['"text"', "5", "null", "{", '{"body": }']) {
    const res = await send(raw, { "content-type": "application/json" });
    expect(res.status, raw).toBe(400);
    expect(res.body.error.code).toBe("validation_failed");
  }
  const empty = await send("", { "content-type": "application/json" });
  expect(empty.status).toBe(400);
  expect(empty.body.error.details.some((d: { path: string }) => d.path === "body")).toBe(true);
});

it("leaves a gzip body to Express's parser, and refuses another charset with 415", async () => {
  const gz = await send(gzipSync(JSON.stringify({ body: { text: "zipped" } })), { "content-type": "application/json", "content-encoding": "gzip" });
  expect(gz.status).toBe(201);
  expect(gz.body.message.body.text).toBe("zipped");
  const latin = await send(JSON.stringify({ body: { text: "x" } }), { "content-type": "application/json; charset=latin1" });
  expect(latin.status).toBe(415);
  expect(latin.body.error.code).toBe("unsupported_media_type");
});

it("refuses a body over 1 MiB whose length is not declared in advance, with 413", async () => {
  const big = JSON.stringify({ body: { text: "x".repeat(1024 * 1024) } });
  const res = await fetch(`${server.url}/api/rooms/${roomId}/messages`, {
    method: "POST",
    headers: { authorization: `Bearer ${alice.token}`, "content-type": "application/json" },
    // A stream: sent chunked, without Content-Length.
    body: new Blob([big]).stream(),
    duplex: "half",
  } as RequestInit);
  expect(res.status).toBe(413);
  expect((await res.json()).error.code).toBe("payload_too_large");
});
