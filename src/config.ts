// Every environment variable the server reads, parsed once with zod at start-up.
// Nothing else in the code reads process.env.
import path from "node:path";
import { z } from "zod";

const bool = z
  .enum(["true", "false", "1", "0"])
  .transform((v) => v === "true" || v === "1");

const intIn = (min: number, max: number) =>
  z.coerce.number().int().min(min).max(max);

const delays = z
  .string()
  .regex(/^\d+(,\d+)*$/, "a comma-separated list of milliseconds")
  .transform((s) => s.split(",").map(Number));

const envSchema = z.object({
  PORT: intIn(0, 65535).default(3000),
  HOST: z.string().min(1).default("0.0.0.0"),
  DATABASE_URL: z
    .string()
    .regex(/^(file:|postgres(ql)?:\/\/)/, "must start with file: or postgres://")
    .default("file:./data/chat.db"),
  REDIS_URL: z.string().regex(/^rediss?:\/\//, "must be a redis:// URL").optional(),
  REDIS_PREFIX: z.string().regex(/^[\w.:-]{1,64}$/, "letters, digits, _ . : - (1 to 64)").default("chat"),
  JWT_SECRET: z.string().min(16, "must be at least 16 characters").optional(),
  JWT_EXPIRES_IN_S: intIn(60, 365 * 24 * 3600).default(30 * 24 * 3600),
  PUBLIC_URL: z.url().optional(),
  WEBHOOK_ALLOW_PRIVATE_NETWORKS: bool.default(false),
  WEBHOOK_TIMEOUT_MS: intIn(100, 120_000).default(10_000),
  WEBHOOK_RETRY_DELAYS_MS: delays.prefault(
    "5000,300000,1800000,7200000,18000000,36000000,36000000",
  ),
  WEBHOOK_CONCURRENCY: intIn(1, 1024).default(64),
  WEBHOOK_ROOM_CONCURRENCY: intIn(1, 1024).optional(),
  WEBHOOK_LEASE_MS: intIn(1000, 600_000).default(30_000),
  WEBHOOK_POLL_MS: intIn(10, 60_000).default(1000),
  WEBHOOK_DEAD_STREAK_LIMIT: intIn(1, 1000).default(5),
  WEBHOOK_CIRCUIT_FAILURES: intIn(1, 1000).default(5),
  WEBHOOK_CIRCUIT_COOLDOWN_MS: intIn(10, 24 * 3600 * 1000).default(60_000),
  INCOMING_RATE_PER_S: z.coerce.number().positive().max(100_000).default(10),
  INCOMING_BURST: intIn(1, 100_000).default(20),
  INCOMING_AUTH_FAILURE_BURST: intIn(1, 100_000).default(10),
  INCOMING_AUTH_FAILURE_RATE_PER_S: z.coerce.number().positive().max(100_000).default(0.2),
  SOCKET_MESSAGE_RATE_PER_S: z.coerce.number().positive().max(100_000).default(5),
  SOCKET_MESSAGE_BURST: intIn(1, 100_000).default(20),
  SOCKET_TYPING_RATE_PER_S: z.coerce.number().positive().max(100_000).default(1),
  SOCKET_TYPING_BURST: intIn(1, 100_000).default(5),
  METRICS_TOKEN: z.string().min(16, "must be at least 16 characters").optional(),
  INSPECTOR_RATE_PER_S: z.coerce.number().positive().max(100_000).default(20),
  INSPECTOR_BURST: intIn(1, 100_000).default(50),
  RETENTION_DAYS: intIn(1, 36_500).default(30),
  LOG_LEVEL: z
    .enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"])
    .default("info"),
});

export type Config = Readonly<{
  port: number;
  host: string;
  databaseUrl: string;
  redisUrl: string | undefined;
  /** Namespaces this deployment's keys and streams in a shared Redis. */
  redisPrefix: string;
  /** Unset: generated once and kept beside the SQLite file (auth/tokens.ts, resolveJwtSecret). */
  jwtSecret: string | undefined;
  jwtExpiresInS: number;
  publicUrl: string | undefined;
  webhooks: Readonly<{
    allowPrivateNetworks: boolean;
    timeoutMs: number;
    retryDelaysMs: readonly number[];
    /** Deliveries in flight at once, all webhooks together (one per webhook at most). */
    concurrency: number;
    /** Of those, for the webhooks of one room: one room's dead endpoints never take every slot. */
    roomConcurrency: number;
    leaseMs: number;
    pollMs: number;
    deadStreakLimit: number;
    /** Failed attempts in a row that open a webhook's circuit, and how long it stays open before a trial. */
    circuit: Readonly<{ failures: number; cooldownMs: number }>;
  }>;
  /** `authFailures`: failed keys or signatures allowed per hook and source address (then 429). */
  incoming: Readonly<{ ratePerSecond: number; burst: number; authFailures: Readonly<{ ratePerSecond: number; burst: number }> }>;
  /** Per-user token buckets of `message:send` and `typing` over Socket.IO. */
  socketRates: Readonly<{
    message: Readonly<{ ratePerSecond: number; burst: number }>;
    typing: Readonly<{ ratePerSecond: number; burst: number }>;
  }>;
  /** Set: /metrics needs `Authorization: Bearer <metricsToken>`. */
  metricsToken: string | undefined;
  /** Captures per inspector bin. */
  inspector: Readonly<{ ratePerSecond: number; burst: number }>;
  /** Finished deliveries, inspector requests and incoming-hook logs older than this are deleted. */
  retentionDays: number;
  logLevel: string;
}>;

export class ConfigError extends Error {}

/** Parses the environment; throws a ConfigError naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  // An empty variable means "unset", as shells and .env files write it.
  const cleaned = Object.fromEntries(
    Object.entries(env).filter(([, v]) => v !== undefined && v !== ""),
  );
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map(
      (i) => `  ${i.path.join(".")}: ${i.message}`,
    );
    throw new ConfigError(`Invalid configuration:\n${lines.join("\n")}`);
  }
  const e = parsed.data;
  return Object.freeze({
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    redisPrefix: e.REDIS_PREFIX,
    jwtSecret: e.JWT_SECRET,
    jwtExpiresInS: e.JWT_EXPIRES_IN_S,
    publicUrl: e.PUBLIC_URL?.replace(/\/+$/, ""),
    webhooks: Object.freeze({
      allowPrivateNetworks: e.WEBHOOK_ALLOW_PRIVATE_NETWORKS,
      timeoutMs: e.WEBHOOK_TIMEOUT_MS,
      retryDelaysMs: Object.freeze(e.WEBHOOK_RETRY_DELAYS_MS),
      concurrency: e.WEBHOOK_CONCURRENCY,
      // Unset: a quarter of all slots, so three other rooms always find room beside a stuck one.
      roomConcurrency: Math.min(e.WEBHOOK_ROOM_CONCURRENCY ?? Math.max(1, Math.floor(e.WEBHOOK_CONCURRENCY / 4)), e.WEBHOOK_CONCURRENCY),
      leaseMs: e.WEBHOOK_LEASE_MS,
      pollMs: e.WEBHOOK_POLL_MS,
      deadStreakLimit: e.WEBHOOK_DEAD_STREAK_LIMIT,
      circuit: Object.freeze({ failures: e.WEBHOOK_CIRCUIT_FAILURES, cooldownMs: e.WEBHOOK_CIRCUIT_COOLDOWN_MS }),
    }),
    incoming: Object.freeze({
      ratePerSecond: e.INCOMING_RATE_PER_S,
      burst: e.INCOMING_BURST,
      authFailures: Object.freeze({ ratePerSecond: e.INCOMING_AUTH_FAILURE_RATE_PER_S, burst: e.INCOMING_AUTH_FAILURE_BURST }),
    }),
    socketRates: Object.freeze({
      message: Object.freeze({ ratePerSecond: e.SOCKET_MESSAGE_RATE_PER_S, burst: e.SOCKET_MESSAGE_BURST }),
      typing: Object.freeze({ ratePerSecond: e.SOCKET_TYPING_RATE_PER_S, burst: e.SOCKET_TYPING_BURST }),
    }),
    metricsToken: e.METRICS_TOKEN,
    inspector: Object.freeze({ ratePerSecond: e.INSPECTOR_RATE_PER_S, burst: e.INSPECTOR_BURST }),
    retentionDays: e.RETENTION_DAYS,
    logLevel: e.LOG_LEVEL,
  });
}

export function isPostgres(databaseUrl: string): boolean {
  return /^postgres(ql)?:\/\//.test(databaseUrl);
}

/** Absolute path of the SQLite file named by a `file:` URL (relative to the working directory). */
export function sqliteFilePath(databaseUrl: string): string {
  if (isPostgres(databaseUrl)) throw new ConfigError("DATABASE_URL is not an SQLite file URL");
  return path.resolve(databaseUrl.replace(/^file:/, "").replace(/\?.*$/, ""));
}

/** The base URL shown to users; defaults to this server on localhost. */
export function publicBaseUrl(config: Config, port: number): string {
  return config.publicUrl ?? `http://localhost:${port}`;
}
