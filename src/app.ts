// The app factory: builds one complete server (HTTP, Socket.IO, database, workers) with no
// module-level state, so tests can start as many as they like. close() shuts it down in order.
import http from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { publicBaseUrl, type Config } from "./config.ts";
import type { AppContext } from "./app-context.ts";
import { createDatabase } from "./db/client.ts";
import { createEventBus } from "./events/domain-events.ts";
import { createLogger, createRequestLogger, type Logger } from "./observability/logger.ts";
import { createMetrics } from "./observability/metrics.ts";
import { countRequests } from "./observability/http-metrics.ts";
import { createTokenService, resolveJwtSecret } from "./auth/tokens.ts";
import { createAuthenticator, requireAuth } from "./http/auth-middleware.ts";
import { errorMiddleware, notFoundMiddleware } from "./http/error-middleware.ts";
import { jsonBody } from "./http/json-body.ts";
import { requestLog } from "./observability/request-log.ts";
import { securityHeaders } from "./http/security.ts";
import { staticClient } from "./http/static-client.ts";
import { authRoutes } from "./auth/auth.routes.ts";
import { usersRoutes } from "./users/users.routes.ts";
import { roomsRoutes } from "./rooms/rooms.routes.ts";
import { webhooksRoutes } from "./webhooks/outgoing/webhooks.routes.ts";
import { createDispatcherThread } from "./webhooks/outgoing/dispatch/dispatcher-thread.ts";
import { messagesRoutes, roomMessagesRoutes, roomSeenRoutes } from "./messages/messages.routes.ts";
import { opsRoutes } from "./observability/ops.routes.ts";
import { hookEndpointRoutes, incomingPresetsRoutes, incomingWebhooksRoutes } from "./webhooks/incoming/incoming.routes.ts";
import { inspectorCaptureRoutes, inspectorRoutes } from "./inspector/inspector.routes.ts";
import { openApiRoutes } from "./openapi/openapi.routes.ts";
import { createRealtime } from "./realtime/realtime.ts";
import { createRedisAdapter } from "./realtime/redis-adapter.ts";
import type { Io } from "./realtime/sockets.ts";
import { createRetentionWorker } from "./retention/retention-worker.ts";

import type { Worker } from "./worker.ts";

export interface App {
  ctx: AppContext;
  server: http.Server;
  /** The Express application (its router lists the mounted routes: the OpenAPI test walks it). */
  express: express.Express;
  io: Io;
  listen(port?: number, host?: string): Promise<number>;
  close(): Promise<void>;
}

export interface AppOptions {
  log?: Logger;
  /** The dispatcher thread's script (tests pass a prebuilt one: it starts faster than through tsx). */
  dispatcherScript?: { script: URL; entry?: string };
}

export async function createApp(config: Config, opts: AppOptions = {}): Promise<App> {
  const log = opts.log ?? createLogger(config.logLevel);
  const database = await createDatabase(config);
  const db = database.prisma;
  const tokens = createTokenService(resolveJwtSecret(config, database.shared), config.jwtExpiresInS);
  let boundPort = config.port;
  const ctx: AppContext = {
    config,
    db,
    sql: database.sql,
    log,
    bus: createEventBus(log),
    metrics: createMetrics(),
    tokens,
    authenticate: createAuthenticator(db, tokens),
    // Loaded only when used: one process on SQLite never pays for a Redis client.
    redis: config.redisUrl ? new (await import("ioredis")).Redis(config.redisUrl, { maxRetriesPerRequest: 2 }) : undefined,
    publicUrl: () => publicBaseUrl(config, boundPort),
  };
  const workers: Worker[] = [];
  const dispatcher = createDispatcherThread(ctx, database, { script: opts.dispatcherScript });
  ctx.outboxLease = dispatcher.lease;
  workers.push(dispatcher);
  workers.push(createRetentionWorker(ctx));

  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", "loopback");
  // JSON answers of a live API: no ETag (it costs a hash of every body, and nothing revalidates them).
  app.set("etag", false);
  app.use(requestLog(createRequestLogger(config.logLevel)));
  app.use(securityHeaders(config.publicUrl));
  app.use(countRequests(ctx.metrics));

  const json = jsonBody(1024 * 1024);
  const auth = requireAuth(ctx.authenticate);
  // The message path first: every message passes here, past as few layers as possible.
  app.use("/api/rooms/:roomId/messages", json, auth, roomMessagesRoutes(ctx));

  app.use(opsRoutes(ctx, workers));
  // Routes that need the raw body (signature checks) are mounted before the JSON parser.
  app.use("/api/hooks", hookEndpointRoutes(ctx));
  app.use("/inspect", inspectorCaptureRoutes(ctx));

  app.use("/api", openApiRoutes());
  app.use("/api", json);
  app.use("/api/auth", authRoutes(ctx));
  app.use("/api/users", auth, usersRoutes(ctx));
  app.use("/api/rooms/:roomId/seen", auth, roomSeenRoutes(ctx));
  app.use("/api/rooms/:roomId/webhooks", auth, webhooksRoutes(ctx));
  app.use("/api/rooms/:roomId/incoming-webhooks", auth, incomingWebhooksRoutes(ctx));
  app.use("/api/incoming-webhook-presets", auth, incomingPresetsRoutes());
  app.use("/api/rooms", auth, roomsRoutes(ctx));
  app.use("/api/inspector", auth, inspectorRoutes(ctx));
  app.use("/api/messages", auth, messagesRoutes(ctx));
  app.use("/api", notFoundMiddleware);
  app.use(staticClient());
  app.use(notFoundMiddleware);
  app.use(errorMiddleware(log));

  const server = http.createServer(app);
  const redisAdapter = config.redisUrl ? await createRedisAdapter({ ...config, redisUrl: config.redisUrl }) : undefined;
  const realtime = createRealtime(ctx, server, redisAdapter);
  const io = realtime.io;

  async function listen(port = config.port, host = config.host): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, host, () => resolve());
    });
    boundPort = (server.address() as AddressInfo).port;
    for (const w of workers) w.start();
    await Promise.all(workers.map((w) => w.ready?.()));
    return boundPort;
  }

  let closing: Promise<void> | undefined;
  function close(): Promise<void> {
    closing ??= (async () => {
      await Promise.all(workers.map((w) => w.stop()));
      const serverClosed = realtime.close();
      // Keep-alive connections go idle as their last response ends: close them as they do,
      // rather than waiting out the keep-alive timeout. Past 10 s, everything is cut.
      server.closeIdleConnections();
      const idle = setInterval(() => server.closeIdleConnections(), 50);
      const force = setTimeout(() => server.closeAllConnections(), 10_000);
      await serverClosed;
      clearInterval(idle);
      clearTimeout(force);
      await database.close();
      await ctx.redis?.quit().catch(() => ctx.redis?.disconnect());
    })();
    return closing;
  }

  return { ctx, server, express: app, io, listen, close };
}
