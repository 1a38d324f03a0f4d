// The bench's sizes and durations, from environment variables (BENCH_*) with defaults that show
// the goals of issue 9; `--smoke` / BENCH_SMOKE=1 makes every part tiny (seconds, no thresholds).
import path from "node:path";
import { benchDir } from "./child.ts";

export const PARTS = ["ceilings", "ingest", "latency", "drain", "fanout", "memory", "postgres"] as const;
export type Part = (typeof PARTS)[number];

const num = (name: string, full: number, smoke: number, isSmoke: boolean) => {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return isSmoke ? smoke : full;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a number, got ${raw}`);
  return n;
};

export function loadSettings(argv: string[]) {
  const smoke = argv.includes("--smoke") || process.env.BENCH_SMOKE === "1" || process.env.BENCH_SMOKE === "true";
  const only = (process.env.BENCH_ONLY ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  for (const p of only) if (!(PARTS as readonly string[]).includes(p)) throw new Error(`BENCH_ONLY: unknown part ${p} (parts: ${PARTS.join(", ")})`);
  const n = (name: string, full: number, small: number) => num(name, full, small, smoke);
  const fresh = process.env.BENCH_FRESH_SERVERS;
  return {
    smoke,
    parts: (only.length ? only : [...PARTS]) as Part[],
    /** The PostgreSQL set-ups the postgres part measures (postgres-1, postgres-2). */
    postgresSetups: (process.env.BENCH_POSTGRES_SETUPS ?? "postgres-1,postgres-2").split(",").map((x) => x.trim()).filter(Boolean),
    serverDir: path.resolve(process.env.BENCH_SERVER_DIR ?? path.resolve(benchDir, "..")),
    serverNodeArgs: (process.env.BENCH_SERVER_NODE_ARGS ?? "").split(" ").filter(Boolean),
    /** A new server (and database) for each part, so a part rerun alone gives the same figure; smoke shares one per set-up. */
    freshServers: fresh === undefined || fresh === "" ? !smoke : fresh === "1" || fresh === "true",
    keepTmp: process.env.BENCH_KEEP_TMP === "1",
    /** Closed-loop connections and seconds of the ingest burst (goals 1, 3) and of ceiling (a). */
    concurrency: n("BENCH_CONCURRENCY", 32, 4),
    durationS: n("BENCH_DURATION_S", 8, 0.5),
    warmupS: n("BENCH_WARMUP_S", 2, 0.3),
    /** Rooms, each with one webhook to the receiver, that the ingest and latency load spreads over. */
    rooms: n("BENCH_ROOMS", 8, 2),
    latencyRates: (process.env.BENCH_LATENCY_RATES ?? (smoke ? "20,50" : "100,500")).split(",").map(Number),
    latencyS: n("BENCH_LATENCY_S", 8, 0.5),
    /** Connections the open-loop sender may use at once, and its per-send time limit. */
    openConnections: n("BENCH_OPEN_CONNECTIONS", 64, 16),
    requestTimeoutMs: n("BENCH_REQUEST_TIMEOUT_MS", 10_000, 10_000),
    /** Backlog sizes for one webhook: the delivery-rate figure (goal 4) and the memory figure (goal 6). */
    drainMessages: n("BENCH_DRAIN_MESSAGES", 20_000, 50),
    memoryBacklog: n("BENCH_MEMORY_BACKLOG", 100_000, 100),
    /** The held request must not reach the server's WEBHOOK_TIMEOUT_MS (120 s): building stops here. */
    backlogMaxBuildS: n("BENCH_BACKLOG_MAX_BUILD_S", 100, 20),
    sockets: n("BENCH_SOCKETS", 1000, 20),
    socketProcesses: n("BENCH_SOCKET_PROCESSES", 2, 1),
    fanoutRate: n("BENCH_FANOUT_RATE", 10, 10),
    fanoutS: n("BENCH_FANOUT_S", 8, 0.5),
    /** Seconds of the raw POST loop, per client. */
    ceilingS: n("BENCH_CEILING_S", 3, 0.5),
    /** Waiting for deliveries gives up after this many seconds without a new one (what is missing then is "lost"). */
    stallS: n("BENCH_STALL_S", 30, 10),
    rssSampleMs: n("BENCH_RSS_SAMPLE_MS", 500, 200),
  };
}

export type Settings = ReturnType<typeof loadSettings>;
