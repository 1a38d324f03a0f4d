// Development and tests run the TypeScript sources: this loads the dispatcher thread's entry
// through tsx. A production start runs the compiled build instead (dist/dispatcher-thread.js).
import { workerData } from "node:worker_threads";
import { register } from "tsx/esm/api";

register();
await import(workerData.entry);
