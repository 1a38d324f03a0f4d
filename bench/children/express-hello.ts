// Ceiling (a): an Express 5 hello server on the same Node, one route answering a short text.
// The load generator sends it exactly what it sends the message route (same path, headers and
// JSON body); the body is not parsed, so this is Express's own ceiling on this machine.
import type { AddressInfo } from "node:net";
import express from "express";
import { serve } from "../lib/child.ts";

const app = express();
app.post("/api/rooms/:roomId/messages", (_req, res) => {
  res.status(201).type("text/plain").send("ok");
});
const server = app.listen(0, "127.0.0.1");
await new Promise<void>((resolve) => server.once("listening", () => resolve()));
server.keepAliveTimeout = 60_000;
const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

serve({ origin: () => origin, pid: () => process.pid });
