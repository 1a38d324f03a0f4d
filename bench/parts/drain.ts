// Goal 4 on one set-up: one webhook's delivery rate with one request in flight, as a share of
// the raw keep-alive POST loop over one connection to the same receiver (ceiling (b), undici).
// Method (bench/lib/backlog.ts): a backlog of BENCH_DRAIN_MESSAGES behind a held request, then
// deliveries per second from "resume" until the last one arrived.
import { backlogDrain } from "../lib/backlog.ts";
import type { Ctx } from "../lib/context.ts";
import type { SetupName } from "../lib/deploy.ts";
import { goalFor, NONE } from "../lib/goals.ts";
import { figure, shareFigure } from "../lib/stats.ts";

export async function drain(ctx: Ctx, setup: SetupName) {
  const dep = await ctx.deployer.deploy(setup, "drain");
  try {
    const b = await backlogDrain(ctx, dep, ctx.settings.drainMessages, "drain");
    return {
      setup,
      deliveriesPerSecond: shareFigure(b.drain.perSecond, ctx.ceilings.rawPostPerSecond, goalFor("deliveryShareOfRawPost", setup)),
      lost: figure(b.drain.lost, NONE),
      orderKept: b.drain.orderKept,
      backlog: { requested: b.requested, built: b.build.accepted, reachedRequested: b.build.reachedRequested, buildSeconds: b.build.seconds, buildFailed: b.build.failed },
      drain: b.drain,
      rssMb: { backlogBuilt: b.rssMb.backlogBuilt, drainMax: b.rssMb.drainMax },
    };
  } finally {
    await ctx.deployer.release(dep);
  }
}
