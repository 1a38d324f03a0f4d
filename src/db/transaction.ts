// The transaction helpers, one per access path (docs/architecture.md, "Data access"):
// - prismaTransaction (here): Prisma's interactive transaction, for the services on Prisma. What
//   the change announces (domain events, waking the dispatcher) is registered inside it with
//   `after.publish` / `after.run`, and happens once it has committed; a rollback drops it all.
// - SqlDb's `sql.transaction` (db/sql.ts): the hot paths' statements on their own connection (a new
//   message, receipts, the dispatcher). Its callers publish once it resolves, which is the commit.
import type { DomainEvents, Events } from "../events/domain-events.ts";
import type { Db, Tx } from "./client.ts";

/** What to do once the transaction has committed (never after a rollback), in the order registered. */
export interface AfterCommit {
  publish<K extends keyof DomainEvents>(event: K, payload: DomainEvents[K]): void;
  /** Other work that must wait for the commit (waking the dispatcher, a follow-up write); awaited in turn. */
  run(hook: () => void | Promise<void>): void;
}

export interface TransactionDeps {
  db: Db;
  bus: Events;
}

/** Long enough for a batch of a few hundred rows on a busy SQLite file, short enough that a stuck transaction ends. */
const LIMITS = { timeout: 15_000, maxWait: 15_000 };

/** Runs `fn` in one Prisma transaction (a client bound to it, and the after-commit hooks); then runs the hooks. */
export async function prismaTransaction<T>(deps: TransactionDeps, fn: (tx: Tx, after: AfterCommit) => Promise<T>): Promise<T> {
  const hooks: (() => void | Promise<void>)[] = [];
  const after: AfterCommit = {
    publish: (event, payload) => void hooks.push(() => deps.bus.publish(event, payload)),
    run: (hook) => void hooks.push(hook),
  };
  const result = await deps.db.$transaction((tx) => fn(tx, after), LIMITS);
  for (const hook of hooks) {
    const pending = hook();
    if (pending) await pending;
  }
  return result;
}
