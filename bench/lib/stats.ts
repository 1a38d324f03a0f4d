// Numbers for the report: percentiles, rounding, and a figure set beside its goal.

export const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

export function percentiles(values: number[]) {
  if (values.length === 0) return { n: 0, p50: null, p95: null, p99: null, max: null };
  const s = Float64Array.from(values).sort();
  const at = (p: number) => round(s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!);
  return { n: s.length, p50: at(50), p95: at(95), p99: at(99), max: round(s[s.length - 1]!) };
}

export interface Goal {
  op: ">=" | "<=";
  target: number;
}

export interface Figure {
  value: number | null;
  ceiling?: number;
  share?: number | null;
  goal: string;
  /** null: not judged (smoke run, or nothing measured). */
  met: boolean | null;
}

let judging = true;
/** A smoke run states the goals but judges none. */
export function setJudging(on: boolean) {
  judging = on;
}

const judge = (x: number | null, g: Goal) => (!judging || x === null || !Number.isFinite(x) ? null : g.op === ">=" ? x >= g.target : x <= g.target);

/** A value judged against a goal on the value itself (`<= 25` ms, `>= 0.8` of ...). */
export function figure(value: number | null, goal: Goal, unit = ""): Figure {
  return { value, goal: `${goal.op} ${goal.target}${unit}`, met: judge(value, goal) };
}

/** A value judged as a share of a ceiling measured in the same run. */
export function shareFigure(value: number | null, ceiling: number | undefined, goal: Goal): Figure {
  const share = value === null || !ceiling ? null : round(value / ceiling, 3);
  return { value, ceiling, share, goal: `share ${goal.op} ${goal.target}`, met: judge(share, goal) };
}

/** PostgreSQL must not fall below a tenth of the SQLite goals. */
export function tenth(goal: Goal): Goal {
  return { op: goal.op, target: goal.op === ">=" ? round(goal.target / 10, 4) : goal.target * 10 };
}
