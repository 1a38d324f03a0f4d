// The service-level tier: services called directly, without HTTP, on a fresh copy of the migrated
// template database (SQLite always, PostgreSQL when reachable: test/sql/dialects.ts). Events are
// recorded as the bus publishes them, so a test sees what a change announced and when.
import type { Database } from "../../src/db/client.ts";
import { createEventBus, type DomainEvents, type Events } from "../../src/events/domain-events.ts";
import { createLogger } from "../../src/observability/logger.ts";
import { createMetrics } from "../../src/observability/metrics.ts";
import type { DialectDb, Dialect } from "../sql/dialects.ts";

export type Published = { [K in keyof DomainEvents]: { event: K; payload: DomainEvents[K] } }[keyof DomainEvents];

const EVENTS: readonly (keyof DomainEvents)[] = [
  "message.created", "message.updated", "message.deleted", "message.counts", "room.created", "room.updated",
  "member.added", "member.updated", "member.removed", "outbox.enqueued", "webhook.changed", "webhook.delivery",
  "webhook.updated", "inspector.request",
];

export interface Harness {
  database: Database;
  /** What services take: Prisma, SqlDb, the bus and metrics of this database alone. */
  deps: { db: Database["prisma"]; sql: Database["sql"]; bus: Events; metrics: ReturnType<typeof createMetrics> };
  /** Every event published since the harness opened (or since the last `drain`). */
  published: Published[];
  /** The events published so far, and a clean list for the next step. */
  drain(): Published[];
  /** A user straight into the database (no password hashing: services do not log in). */
  user(username: string, extra?: { isBot?: boolean; displayName?: string }): Promise<number>;
  close(): Promise<void>;
}

export async function openHarness(dialect: Dialect): Promise<Harness> {
  const handle: DialectDb = await dialect.open();
  const database = handle.database;
  const bus = createEventBus(createLogger("silent"));
  const published: Published[] = [];
  for (const event of EVENTS) bus.on(event, (payload) => void published.push({ event, payload } as Published));
  return {
    database,
    deps: { db: database.prisma, sql: database.sql, bus, metrics: createMetrics() },
    published,
    drain: () => published.splice(0),
    async user(username, extra = {}) {
      const u = await database.prisma.user.create({
        data: { username, displayName: extra.displayName ?? username.toUpperCase(), passwordHash: "!", isBot: extra.isBot ?? false },
      });
      return u.id;
    },
    close: () => handle.close(),
  };
}

/** The event names, in order. */
export const names = (events: readonly Published[]) => events.map((e) => e.event);
