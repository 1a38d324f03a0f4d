// Goal 6 (SQLite), except the figure with 1,000 sockets, which the fan-out part measures while
// its clients are connected: the server's RSS (VmRSS of its process, worker threads included)
// idle after a warm-up, then sampled every BENCH_RSS_SAMPLE_MS while a backlog of
// BENCH_MEMORY_BACKLOG deliveries for one webhook is built and drained (bench/lib/backlog.ts):
// start, maximum, end, the drain rate, and whether memory grew while draining.
import { setTimeout as sleep } from "node:timers/promises";
import { messageTargets, setupRooms } from "../lib/api.ts";
import { backlogDrain } from "../lib/backlog.ts";
import { closedLoop, type Ctx } from "../lib/context.ts";
import { waitForDeliveries } from "../lib/deliveries.ts";
import { goalFor } from "../lib/goals.ts";
import { figure } from "../lib/stats.ts";

export async function memory(ctx: Ctx) {
  const { settings } = ctx;
  const dep = await ctx.deployer.deploy("sqlite", "memory");
  try {
    const startedMb = dep.rssMb();
    // Warm-up: the message and delivery paths used for a moment, then left idle.
    const rooms = await setupRooms(dep.urls[0]!, settings.rooms, ctx.receiverUrl, "memory warm-up");
    const w = await closedLoop(ctx, messageTargets(dep.urls, rooms), { durationS: settings.warmupS, connections: Math.min(8, settings.concurrency) });
    await waitForDeliveries(ctx.receiver, rooms.map((r) => r.hookPath), w.ids, settings.stallS);
    await sleep(settings.smoke ? 200 : 2000);
    const idleMb = dep.rssMb();
    const b = await backlogDrain(ctx, dep, settings.memoryBacklog, "memory backlog");
    const withBacklog = b.rssMb.maxWithBacklog;
    return {
      idle: { afterStartMb: startedMb, afterWarmUpMb: idleMb },
      withBacklog: {
        ...figure(withBacklog, goalFor("rssMb", "sqlite"), " MB"),
        requested: b.requested,
        built: b.build.accepted,
        reachedRequested: b.build.reachedRequested,
        buildSeconds: b.build.seconds,
        ...b.rssMb,
      },
      drainPerSecond: b.drain.perSecond,
      drain: b.drain,
      grewWhileDraining: b.rssMb.grewWhileDraining,
    };
  } finally {
    await ctx.deployer.release(dep);
  }
}
