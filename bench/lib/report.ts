// The JSON document: each figure beside its goal, PostgreSQL beside SQLite, the goals missed.

type Obj = Record<string, any>;

/** Paths of every figure whose goal was judged and missed. */
export function missedGoals(node: unknown, path = ""): string[] {
  if (!node || typeof node !== "object") return [];
  const o = node as Obj;
  const here = o.met === false ? [`${path}: ${o.share ?? o.value} (goal ${o.goal})`] : [];
  return here.concat(...Object.entries(o).map(([k, v]) => missedGoals(v, path ? `${path}.${k}` : k)));
}

/** One line per set-up with the figures goal 7 compares. */
export function besideSqlite(sets: Record<string, { ingest?: Obj; latency?: Obj; drain?: Obj; skipped?: string } | undefined>) {
  const rows: Obj = {};
  for (const [name, s] of Object.entries(sets)) {
    if (!s) continue;
    if (s.skipped) {
      rows[name] = { skipped: s.skipped };
      continue;
    }
    const row: Obj = {};
    if (s.ingest) {
      row.ingestPerSecond = s.ingest.messagesPerSecond.value;
      row.ingestShareOfExpress = s.ingest.messagesPerSecond.share;
      row.starvationShare = s.ingest.starvation.value;
      row.ingestLost = s.ingest.deliveries.lost.value;
      row.ingestOrderKept = s.ingest.deliveries.orderKept;
    }
    for (const [k, v] of Object.entries(s.latency ?? {})) {
      if (!k.startsWith("at")) continue;
      const r = v as Obj;
      row[`latency${r.rate}`] = { p50Ms: r.latencyMs.p50, p99Ms: r.latencyMs.p99, failedSends: r.failedSends.value };
    }
    if (s.drain) {
      row.deliveriesPerSecond = s.drain.deliveriesPerSecond.value;
      row.deliveryShareOfRawPost = s.drain.deliveriesPerSecond.share;
      row.backlogBuilt = s.drain.backlog.built;
    }
    rows[name] = row;
  }
  return rows;
}
