// The SQLite WAL's checkpoints, in a thread of their own (started by sqlite-sql.ts). A checkpoint
// copies the WAL into the database file and fsyncs it: tens of ms on a slow disk, which on the
// dispatcher's thread held up every delivery due meanwhile. PASSIVE neither waits for nor blocks
// readers and writers, so this connection never stands in anyone's way. Plain JavaScript: it runs
// as it is under tsx and in the build alike.
import { parentPort, workerData } from "node:worker_threads";
import Database from "better-sqlite3";

const { file, everyMs, pageCacheKib } = workerData;
const db = new Database(file, { timeout: 5000 });
db.pragma(`cache_size = -${pageCacheKib}`);
const timer = setInterval(() => {
  try {
    db.pragma("wal_checkpoint(PASSIVE)");
  } catch {
    // A checkpoint that could not run now (the disk, a lock): the next one copies what this one did not.
  }
}, everyMs);

parentPort.on("message", (m) => {
  if (m !== "stop") return;
  clearInterval(timer);
  // The last one restarts the WAL from empty (it waits for the writers to finish, up to the timeout).
  try {
    db.pragma("wal_checkpoint(TRUNCATE)");
  } finally {
    db.close();
    parentPort.close();
  }
});
