// The shape of one retention rule (retention-rules.ts lists them; a rule may live in its own file).
import type { Db } from "../db/client.ts";

export interface BatchResult {
  deleted: number;
  /** Nothing more to delete in this run. */
  done: boolean;
  /** Where the next batch starts, for rules that pass over rows they keep (ids in order). */
  cursor: number;
}

export interface RetentionRule {
  name: string;
  /** Deletes one batch of expired rows: small, so no statement holds the database for long. */
  deleteBatch(db: Db, cutoff: Date, cursor: number): Promise<BatchResult>;
}
