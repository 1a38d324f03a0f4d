// Goals 1 and 3 on one set-up. Sustained ingest: C keep-alive connections POST messages for T
// seconds, spread over several rooms, each with one webhook to the receiver; messages accepted
// per second, as a share of the Express hello ceiling (a). Then every delivery is awaited: lost
// (accepted, never delivered), duplicates (a webhook-id twice), order per webhook (message ids
// increasing on each room's receiver path). Starvation: of the messages accepted during the
// burst, the share whose delivery arrived during it. Warm-up goes to other rooms, not measured.
import { messageTargets, setupRooms } from "../lib/api.ts";
import { closedLoop, summary, type Ctx } from "../lib/context.ts";
import { analyse, receipts, waitForDeliveries } from "../lib/deliveries.ts";
import type { SetupName } from "../lib/deploy.ts";
import { goalFor, NONE } from "../lib/goals.ts";
import { figure, round, shareFigure } from "../lib/stats.ts";

export async function ingest(ctx: Ctx, setup: SetupName) {
  const { settings, receiverUrl, receiver } = ctx;
  const dep = await ctx.deployer.deploy(setup, "ingest");
  try {
    const url = dep.urls[0]!;
    const warm = await setupRooms(url, settings.rooms, receiverUrl, "warm-up");
    const rooms = await setupRooms(url, settings.rooms, receiverUrl, "ingest");
    const paths = rooms.map((r) => r.hookPath);

    ctx.log(`${setup} ingest: warm-up ${settings.warmupS} s`);
    const w = await closedLoop(ctx, messageTargets(dep.urls, warm), { durationS: settings.warmupS });
    await waitForDeliveries(receiver, warm.map((r) => r.hookPath), w.ids, settings.stallS);
    const rssBeforeMb = dep.rssMb();

    ctx.log(`${setup} ingest: ${settings.concurrency} connections for ${settings.durationS} s`);
    const burst = await closedLoop(ctx, messageTargets(dep.urls, rooms), { durationS: settings.durationS });
    const rssAfterBurstMb = dep.rssMb();
    ctx.log(`${setup} ingest: ${burst.ok} accepted; waiting for their deliveries`);
    const wait = await waitForDeliveries(receiver, paths, burst.ids, settings.stallS, burst.failed);
    const a = analyse(await receipts(receiver, paths), burst.ids, { until: burst.endAt });
    const load = summary(burst);
    const starvation = burst.ok ? round(a.deliveredByUntil / burst.ok, 3) : null;
    return {
      setup,
      rooms: rooms.length,
      connections: settings.concurrency,
      messagesPerSecond: shareFigure(load.acceptedPerSecond, ctx.ceilings.expressHelloPerSecond, goalFor("ingestShareOfExpress", setup)),
      load,
      deliveries: {
        accepted: a.accepted,
        delivered: a.delivered,
        lost: figure(a.lost, NONE),
        duplicates: a.duplicates,
        orderKept: a.orderKept,
        outOfOrder: a.outOfOrder,
        unexpected: a.unexpected,
        allArrived: wait.complete,
        lastDeliveryAfterBurstMs: a.lastAt ? Math.max(0, a.lastAt - burst.endAt) : null,
        latencyMs: a.latencyMs,
      },
      starvation: {
        ...figure(starvation, goalFor("starvationShare", setup)),
        deliveredDuringBurst: a.deliveredByUntil,
        acceptedDuringBurst: burst.ok,
      },
      rssMb: { afterWarmUp: rssBeforeMb, afterBurst: rssAfterBurstMb },
    };
  } finally {
    await ctx.deployer.release(dep);
  }
}
