// The goals of issue 9, in one place. Goals 1-6 are for SQLite; PostgreSQL's figures must not
// fall below a tenth of them (correctness, nothing lost, order kept, stays absolute).
import { tenth, type Goal } from "./stats.ts";
import type { SetupName } from "./deploy.ts";

const SQLITE = {
  ingestShareOfExpress: { op: ">=", target: 0.6 },
  latencyP50Ms: { op: "<=", target: 5 },
  latencyP99Ms: { op: "<=", target: 25 },
  starvationShare: { op: ">=", target: 0.8 },
  deliveryShareOfRawPost: { op: ">=", target: 0.5 },
  fanoutP99Ms: { op: "<=", target: 50 },
  rssMb: { op: "<=", target: 150 },
} satisfies Record<string, Goal>;

export type GoalName = keyof typeof SQLITE;

export const NONE: Goal = { op: "<=", target: 0 };

export function goalFor(name: GoalName, setup: SetupName): Goal {
  const g = SQLITE[name];
  return setup === "sqlite" ? g : tenth(g);
}
