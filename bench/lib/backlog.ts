// One webhook's backlog, built and drained through the public API: the receiver holds the
// webhook's first request unanswered ("paused"; the server runs with WEBHOOK_TIMEOUT_MS=120000 so
// it does not time out), N messages are posted to that room as fast as the API takes them (at most
// BENCH_BACKLOG_MAX_BUILD_S), then the receiver answers the held request and everything after at
// once ("resume"): the deliveries per second until all N arrived are the webhook's delivery rate
// with one request in flight. The server's RSS is sampled all along.
import { setTimeout as sleep } from "node:timers/promises";
import { messageTargets, setupRooms } from "./api.ts";
import { closedLoop, summary, type Ctx } from "./context.ts";
import { analyse, receipts, waitForDeliveries } from "./deliveries.ts";
import type { Deployment } from "./deploy.ts";
import { round } from "./stats.ts";

function rssSampler(dep: Deployment, everyMs: number) {
  const samples: { at: number; mb: number }[] = [];
  let on = true;
  const loop = (async () => {
    while (on) {
      const mb = dep.rssMb();
      if (mb !== undefined) samples.push({ at: Date.now(), mb });
      await sleep(everyMs);
    }
  })();
  return {
    samples,
    async stop() {
      on = false;
      await loop;
    },
  };
}

const between = (s: { at: number; mb: number }[], from: number, to: number) => s.filter((x) => x.at >= from && x.at <= to).map((x) => x.mb);

/** At most `points` evenly spaced values, for the report. */
const thin = (v: number[], points: number) => (v.length <= points ? v : Array.from({ length: points }, (_, i) => v[Math.round((i * (v.length - 1)) / (points - 1))]!));

export async function backlogDrain(ctx: Ctx, dep: Deployment, n: number, label: string) {
  const { settings, receiver, receiverUrl } = ctx;
  const url = dep.urls[0]!;
  const [warm] = await setupRooms(url, 1, receiverUrl, `${label} warm-up`);
  const [room] = await setupRooms(url, 1, receiverUrl, label);
  const path = room!.hookPath;
  const targets = messageTargets(dep.urls, [room!]);
  // Warm the path (JIT, connections) on another webhook: BENCH_WARMUP_S or 500 messages.
  const w = await closedLoop(ctx, messageTargets(dep.urls, [warm!]), { durationS: settings.warmupS, maxOk: 500, connections: 4 });
  await waitForDeliveries(receiver, [warm!.hookPath], w.ids, settings.stallS);
  const idleMb = dep.rssMb();

  const rss = rssSampler(dep, settings.rssSampleMs);
  await receiver.call("pause");
  ctx.log(`${dep.setup} ${label}: building a backlog of ${n} for one webhook (at most ${settings.backlogMaxBuildS} s)`);
  const build = await closedLoop(ctx, targets, { durationS: settings.backlogMaxBuildS, maxOk: n });
  const builtMb = dep.rssMb();
  const { at: resumeAt, held } = await receiver.call<{ at: number; held: number }>("resume");
  ctx.log(`${dep.setup} ${label}: ${build.ok} queued; draining`);
  const wait = await waitForDeliveries(receiver, [path], build.ids, settings.stallS, build.failed);
  const drainedAt = Date.now();
  // A few more samples after the drain: does memory come back down?
  await sleep(Math.min(2000, settings.rssSampleMs * 4));
  await rss.stop();

  const r = await receipts(receiver, [path]);
  const a = analyse(r, build.ids);
  const seen = new Set<string>();
  let drained = 0;
  for (let i = 0; i < r.ats.length; i++) {
    if (seen.has(r.wids[i]!)) continue;
    seen.add(r.wids[i]!);
    if (r.ats[i]! >= resumeAt) drained++;
  }
  const drainMs = Math.max(1, a.lastAt - resumeAt);
  const during = between(rss.samples, resumeAt, drainedAt);
  const afterMb = rss.samples.at(-1)?.mb;
  const startMb = builtMb ?? during[0];
  const maxMb = Math.max(...between(rss.samples, 0, Infinity));
  return {
    requested: n,
    build: { ...summary(build), reachedRequested: build.ok >= n, heldAtResume: held },
    drain: {
      deliveries: drained,
      seconds: round(drainMs / 1000, 2),
      perSecond: round(drained / (drainMs / 1000)),
      allArrived: wait.complete,
      delivered: a.delivered,
      lost: a.lost,
      duplicates: a.duplicates,
      orderKept: a.orderKept,
      outOfOrder: a.outOfOrder,
    },
    rssMb: {
      idleBeforeBuild: idleMb,
      backlogBuilt: builtMb,
      drainStart: startMb,
      drainMax: during.length ? Math.max(...during) : null,
      drainEnd: during.at(-1) ?? null,
      afterDrain: afterMb ?? null,
      maxWithBacklog: Number.isFinite(maxMb) ? maxMb : null,
      /** Grew while draining: the maximum went more than 10% (and 10 MB) above the start. */
      grewWhileDraining: startMb !== undefined && during.length ? Math.max(...during) - startMb > Math.max(10, startMb * 0.1) : null,
      samplesDuringDrain: thin(during, 40),
      sampleEveryMs: settings.rssSampleMs,
    },
  };
}
