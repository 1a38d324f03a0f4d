// Hand-written SQL for the hot paths (a message with its outbox rows, receipts, the dispatcher's
// claims and records), run on the drivers directly: no query compilation, each statement prepared
// once per connection. The rule for where SQL lives: a statement is defined once per dialect in a
// `*-sql.ts` file beside the module that runs it, and tested on SQLite and PostgreSQL. Everything
// else goes through Prisma.

export type Dialect = "sqlite" | "postgres";

/** A row as a driver returns it: integers, booleans and dates differ between drivers. */
export type RawRow = Record<string, unknown>;

export interface Statement<P, R> {
  /** Unique across the app: the prepared statement's name (PostgreSQL) and cache key. */
  name: string;
  /**
   * null: a statement only PostgreSQL runs, where SQLite does the same work in several statements
   * of one transaction (on PostgreSQL each statement is a round trip; on SQLite it is not).
   */
  sqlite: string | null;
  postgres: string;
  /** Parameters by number: write `?n` in the SQLite text and `$n` in the PostgreSQL one. */
  params(p: P): unknown[];
  /** Shapes a raw row; statements that return no rows leave it out. */
  row?(r: RawRow): R;
}

export function statement<P, R = never>(s: Statement<P, R>): Statement<P, R> {
  return s;
}

export interface Queries {
  all<P, R>(s: Statement<P, R>, p: P): Promise<R[]>;
  get<P, R>(s: Statement<P, R>, p: P): Promise<R | undefined>;
  /** Returns the number of rows changed. */
  run<P>(s: Statement<P, unknown>, p: P): Promise<number>;
}

export interface SqlDb {
  dialect: Dialect;
  /** Reads outside a transaction. Writes go through `transaction` (or `single`). */
  read: Pick<Queries, "all" | "get">;
  /** One write statement that is its own transaction: on PostgreSQL one round trip, no BEGIN and COMMIT. */
  single: Pick<Queries, "get">;
  /** A write transaction: committed when `fn` resolves, rolled back when it throws. */
  transaction<T>(fn: (q: Queries) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/**
 * A date inside a JSON batch parameter, as the dialect's statements read it: SQLite compares the
 * text with the column's (Prisma's "iso8601" format), PostgreSQL reads it as timestamptz.
 */
export const jsonDate = (dialect: Dialect, d: Date): string =>
  dialect === "sqlite" ? d.toISOString().replace("Z", "+00:00") : d.toISOString();

// Raw values to JS values, whatever the driver returned.
export const asInt = (v: unknown): number => (typeof v === "number" ? v : Number(v));
export const asIntOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : asInt(v));
export const asBool = (v: unknown): boolean => v === true || v === 1 || v === 1n || v === "1" || v === "t";
export const asDate = (v: unknown): Date => (v instanceof Date ? v : new Date(v as string));
export const asDateOrNull = (v: unknown): Date | null => (v === null || v === undefined ? null : asDate(v));
export const asStringOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
