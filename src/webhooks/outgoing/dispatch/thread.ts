// The dispatcher thread's entry: opens its own database connection, HTTP client and logger, runs
// the dispatcher, and talks with the API thread through thread-protocol.ts. Sending and the API do
// not share an event loop, so neither stalls the other.
import { parentPort, workerData } from "node:worker_threads";
import { openSql } from "../../../db/open-sql.ts";
import { createLogger } from "../../../observability/logger.ts";
import { inspectorUrlMatcher } from "../wire/address-check.ts";
import { createSender } from "../wire/sender.ts";
import { createDispatcher } from "./dispatcher.ts";
import { createReporter } from "./reporter.ts";
import type { DispatcherThreadData, FromDispatcher, ToDispatcher } from "./thread-protocol.ts";

const port = parentPort!;
const data = workerData as DispatcherThreadData;
const { config } = data;
const log = createLogger(config.logLevel).child({ thread: "dispatcher" });
const sql = await openSql(data.database, data.mutexHolderId);
const sender = createSender({
  allowPrivateNetworks: config.webhooks.allowPrivateNetworks,
  isTrusted: inspectorUrlMatcher(() => data.publicUrl),
});
const reporter = createReporter((m: FromDispatcher) => port.postMessage(m));
const dispatcher = createDispatcher({
  config,
  sql,
  log,
  sender,
  reporter,
  owner: data.owner,
});

port.on("message", async (m: ToDispatcher) => {
  switch (m.type) {
    case "wake":
      dispatcher.wake(m.webhookIds);
      break;
    case "handoff":
      dispatcher.handoff(m.deliveries);
      break;
    case "webhook-changed":
      dispatcher.webhookChanged(m.webhookId);
      break;
    case "stop":
      await dispatcher.stop();
      await sender.close();
      await sql.close();
      port.postMessage({ type: "stopped" } satisfies FromDispatcher);
      port.close();
      break;
  }
});

dispatcher.start();
port.postMessage({ type: "ready" } satisfies FromDispatcher);
