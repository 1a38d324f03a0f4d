// Goal 2 on one set-up: at a fixed rate (100 and 500 messages/s by default; open loop: sends
// leave on the clock whatever the answers do, spread over the rooms), the time from a message's
// createdAt (server clock, from the webhook body) to its receipt at the receiver (same machine,
// same clock): p50/p95/p99/max, and the sends that failed (not 201, an error, or no answer within
// BENCH_REQUEST_TIMEOUT_MS of when the send was due). Each rate gets fresh rooms.
import { messageTargets, setupRooms } from "../lib/api.ts";
import { closedLoop, openLoop, summary, type Ctx } from "../lib/context.ts";
import { analyse, receipts, waitForDeliveries } from "../lib/deliveries.ts";
import type { SetupName } from "../lib/deploy.ts";
import { goalFor, NONE } from "../lib/goals.ts";
import { figure } from "../lib/stats.ts";

export async function latency(ctx: Ctx, setup: SetupName) {
  const { settings, receiverUrl, receiver } = ctx;
  const dep = await ctx.deployer.deploy(setup, "latency");
  try {
    const url = dep.urls[0]!;
    const warm = await setupRooms(url, settings.rooms, receiverUrl, "warm-up");
    ctx.log(`${setup} latency: warm-up ${settings.warmupS} s`);
    const w = await closedLoop(ctx, messageTargets(dep.urls, warm), { durationS: settings.warmupS, connections: Math.min(8, settings.concurrency) });
    await waitForDeliveries(receiver, warm.map((r) => r.hookPath), w.ids, settings.stallS);

    const byRate: Record<string, unknown> = {};
    for (const rate of settings.latencyRates) {
      const rooms = await setupRooms(url, settings.rooms, receiverUrl, `latency ${rate}`);
      const paths = rooms.map((r) => r.hookPath);
      ctx.log(`${setup} latency: ${rate} messages/s for ${settings.latencyS} s`);
      const load = await openLoop(ctx, messageTargets(dep.urls, rooms), rate, settings.latencyS);
      // Messages whose send timed out on our side may still have been created: wait for those too.
      const wait = await waitForDeliveries(receiver, paths, load.ids, settings.stallS, load.failed);
      const a = analyse(await receipts(receiver, paths), load.ids);
      byRate[`at${rate}PerSecond`] = {
        rate,
        latencyMs: a.latencyMs,
        p50: figure(a.latencyMs.p50, goalFor("latencyP50Ms", setup), " ms"),
        p99: figure(a.latencyMs.p99, goalFor("latencyP99Ms", setup), " ms"),
        failedSends: figure(load.failed, NONE),
        load: summary(load),
        deliveries: { delivered: a.delivered, lost: a.lost, duplicates: a.duplicates, orderKept: a.orderKept, outOfOrder: a.outOfOrder, unexpected: a.unexpected, allArrived: wait.complete },
      };
    }
    return { setup, rooms: settings.rooms, seconds: settings.latencyS, ...byRate };
  } finally {
    await ctx.deployer.release(dep);
  }
}
