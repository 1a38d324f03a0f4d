// Goal 5 (SQLite), and goal 6's RSS with 1,000 sockets. BENCH_SOCKETS users are registered
// through the API (in parallel; each costs the server one scrypt) and made members of one room
// (which also has a webhook to the receiver); each connects one socket.io-client socket
// (websocket transport) from BENCH_SOCKET_PROCESSES processes of their own. The server's RSS is
// read with every socket connected. Then BENCH_FANOUT_RATE messages/s for BENCH_FANOUT_S seconds
// (open loop, HTTP, from the room's creator): every socket must get every message (missing is
// counted), and createdAt -> arrival at the socket gives p50/p99.
import { setTimeout as sleep } from "node:timers/promises";
import { addWebhook, client, registerMany, roomOf } from "../lib/api.ts";
import { forkChild, type Child } from "../lib/child.ts";
import { openLoop, summary, type Ctx } from "../lib/context.ts";
import { goalFor, NONE } from "../lib/goals.ts";
import { figure, percentiles } from "../lib/stats.ts";

interface Report {
  sockets: number;
  missing: number;
  socketsMissing: number;
  duplicates: number;
  disconnects: number;
  latencies: number[];
}

export async function fanout(ctx: Ctx) {
  const { settings } = ctx;
  const dep = await ctx.deployer.deploy("sqlite", "fanout");
  const children: Child[] = [];
  try {
    const url = dep.urls[0]!;
    ctx.log(`fan-out: registering ${settings.sockets} users through the API`);
    const t0 = Date.now();
    const users = await registerMany(url, settings.sockets);
    const registerS = (Date.now() - t0) / 1000;
    const roomId = await roomOf(url, users, "fan-out");
    await addWebhook(client(url, users[0]!.token), roomId, ctx.receiverUrl);
    const beforeSocketsMb = dep.rssMb();

    const procs = Math.max(1, Math.min(settings.socketProcesses, users.length));
    for (let i = 0; i < procs; i++) children.push(await forkChild("socket-clients"));
    ctx.log(`fan-out: connecting ${users.length} sockets from ${procs} processes`);
    const per = Math.ceil(users.length / procs);
    const connects = await Promise.all(
      children.map((c, i) =>
        c.call<{ connected: number; failed: number; firstError?: string; ms: number }>("connect", {
          urls: dep.urls,
          tokens: users.slice(i * per, (i + 1) * per).map((u) => u.token),
          parallel: 20,
        }),
      ),
    );
    const connected = connects.reduce((s, c) => s + c.connected, 0);
    await sleep(settings.smoke ? 300 : 2000);
    const socketsMb = dep.rssMb();

    const target = [{ origin: url, path: `/api/rooms/${roomId}/messages`, token: users[0]!.token }];
    ctx.log(`fan-out: ${settings.fanoutRate} messages/s for ${settings.fanoutS} s`);
    await openLoop(ctx, target, settings.fanoutRate, Math.min(1, settings.fanoutS)); // warm-up, not counted
    await sleep(settings.smoke ? 100 : 500);
    let maxMb = dep.rssMb() ?? 0;
    const load = await openLoop(ctx, target, settings.fanoutRate, settings.fanoutS);
    const want = connected * load.ids.length;
    let got = 0;
    let last = -1;
    let lastChange = Date.now();
    while (got < want && Date.now() - lastChange < Math.min(settings.stallS, 10) * 1000) {
      got = (await Promise.all(children.map((c) => c.call<number>("progress", load.ids)))).reduce((a, b) => a + b, 0);
      if (got !== last) (last = got), (lastChange = Date.now());
      maxMb = Math.max(maxMb, dep.rssMb() ?? 0);
      await sleep(200);
    }
    const reports = await Promise.all(children.map((c) => c.call<Report>("report", load.ids)));
    const latencyMs = percentiles(reports.flatMap((r) => r.latencies));
    const missing = reports.reduce((s, r) => s + r.missing, 0);
    return {
      sockets: { wanted: settings.sockets, connected, failed: connects.reduce((s, c) => s + c.failed, 0), firstError: connects.find((c) => c.firstError)?.firstError, connectMs: Math.max(...connects.map((c) => c.ms)), processes: procs },
      seeding: { how: "registered through the API, 8 in parallel", users: users.length, seconds: registerS },
      messages: load.ids.length,
      p99: figure(latencyMs.p99, goalFor("fanoutP99Ms", "sqlite"), " ms"),
      missing: figure(missing, NONE),
      latencyMs,
      received: want - missing,
      expected: want,
      socketsMissingSome: reports.reduce((s, r) => s + r.socketsMissing, 0),
      duplicates: reports.reduce((s, r) => s + r.duplicates, 0),
      disconnects: reports.reduce((s, r) => s + r.disconnects, 0),
      load: summary(load),
      rssMb: {
        beforeSockets: beforeSocketsMb,
        withSockets: figure(socketsMb ?? null, goalFor("rssMb", "sqlite"), " MB"),
        maxDuringFanout: maxMb || null,
      },
    };
  } finally {
    for (const c of children) await c.call("close").catch(() => undefined);
    for (const c of children) await c.stop();
    await ctx.deployer.release(dep);
  }
}
