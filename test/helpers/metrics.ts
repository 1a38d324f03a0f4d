// Reads /metrics, so a test can assert what an action changed: read before, act, read after.
export type MetricsSnapshot = (series: string) => number;

/** The value of each series line of /metrics (`name{labels}` exactly as printed); absent series read 0. */
export async function readMetrics(baseUrl: string, headers: Record<string, string> = {}): Promise<MetricsSnapshot> {
  const text = await (await fetch(`${baseUrl}/metrics`, { headers })).text();
  const values = new Map<string, number>();
  for (const line of text.split("\n")) {
    if (!line || line.startsWith("#")) continue;
    const at = line.lastIndexOf(" ");
    values.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return (series) => values.get(series) ?? 0;
}

/** How much each series grew between two snapshots. */
export const growth = (before: MetricsSnapshot, after: MetricsSnapshot, series: readonly string[]) =>
  Object.fromEntries(series.map((s) => [s, after(s) - before(s)]));
