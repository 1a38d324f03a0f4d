// What route factories and consumers get: the parts of one app instance (no module-level singletons).
import type { Redis } from "ioredis";
import type { Config } from "./config.ts";
import type { Db } from "./db/client.ts";
import type { SqlDb } from "./db/sql.ts";
import type { OutboxLease } from "./webhooks/outgoing/outbox/outbox-sql.ts";
import type { Events } from "./events/domain-events.ts";
import type { Logger } from "./observability/logger.ts";
import type { Metrics } from "./observability/metrics.ts";
import type { TokenService } from "./auth/tokens.ts";
import type { Authenticate } from "./http/auth-middleware.ts";

export interface AppContext {
  config: Config;
  /** Prisma: the schema's client, for everything but the hot paths. */
  db: Db;
  /** Hand-written statements for the hot paths (db/sql.ts). */
  sql: SqlDb;
  bus: Events;
  log: Logger;
  metrics: Metrics;
  tokens: TokenService;
  authenticate: Authenticate;
  /** Shared state across processes (REDIS_URL): the incoming hooks' rate limits. */
  redis: Redis | undefined;
  /** SQLite: new deliveries written leased to the dispatcher thread and handed to it (see dispatcher-thread.ts). */
  outboxLease?: () => OutboxLease | undefined;
  /** Base URL shown to users (PUBLIC_URL, or this server on localhost once it listens). */
  publicUrl(): string;
}
