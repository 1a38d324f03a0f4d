// What every part is given: the settings, the receiver and load-generator processes, the
// deployer of servers under test, the ceilings measured so far, and a progress log (stderr).
import type { LoadResult, Target } from "../children/loadgen.ts";
import type { Child } from "./child.ts";
import type { Deployer } from "./deploy.ts";
import type { Settings } from "./settings.ts";
import { percentiles, round } from "./stats.ts";

export interface Ctx {
  settings: Settings;
  receiver: Child;
  receiverUrl: string;
  loadgen: Child;
  deployer: Deployer;
  ceilings: { expressHelloPerSecond?: number; rawPostPerSecond?: number };
  notes: string[];
  log(msg: string): void;
}

export function closedLoop(ctx: Ctx, targets: Target[], opts: { durationS: number; maxOk?: number; wantIds?: boolean; connections?: number }) {
  return ctx.loadgen.call<LoadResult>("closed", {
    targets,
    connections: opts.connections ?? ctx.settings.concurrency,
    timeoutMs: ctx.settings.requestTimeoutMs,
    durationS: opts.durationS,
    maxOk: opts.maxOk,
    wantIds: opts.wantIds ?? true,
  });
}

export function openLoop(ctx: Ctx, targets: Target[], rate: number, durationS: number) {
  return ctx.loadgen.call<LoadResult>("open", {
    targets,
    connections: ctx.settings.openConnections,
    timeoutMs: ctx.settings.requestTimeoutMs,
    rate,
    durationS,
    wantIds: true,
  });
}

/** The load result without its long arrays. */
export function summary(r: LoadResult) {
  const seconds = (r.endAt - r.startAt) / 1000;
  return {
    sent: r.sent,
    accepted: r.ok,
    failed: r.failed,
    failures: r.failures,
    seconds: round(seconds, 2),
    acceptedPerSecond: round(r.ok / seconds),
    responseMs: percentiles(r.responseMs),
    ...(r.maxSendLagMs === undefined ? {} : { maxSendLagMs: r.maxSendLagMs }),
  };
}
