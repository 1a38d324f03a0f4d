// What the dispatcher tells the API thread, gathered and sent in batches: one message carries the
// deliveries that changed (for the live delivery log), another the webhooks that changed (their
// circuits), and the metrics since the last one, so the API thread handles a few messages a second
// instead of one per attempt.
import { presentDelivery, type PresentableDelivery } from "../deliveries.presenter.ts";
import { emptyCounts, type DeliveryNotice, type FromDispatcher } from "./thread-protocol.ts";
import type { AttemptOutcome } from "../wire/sender.ts";

const FLUSH_EVERY_MS = 20;

export interface Reporter {
  delivery(roomId: number, d: PresentableDelivery): void;
  attempt(outcome: AttemptOutcome, durationMs: number): void;
  succeeded(createdAt: Date): void;
  dead(count?: number): void;
  queueDepth(n: number): void;
  circuitsOpen(n: number): void;
  /** A webhook's circuit or enabled flag changed: its admins' screens show the webhook again. */
  webhookChanged(roomId: number, webhookId: number): void;
  /** Sent at once (after what is gathered): replies and notices. */
  send(message: FromDispatcher): void;
  flush(): void;
}

export function createReporter(emit: (m: FromDispatcher) => void): Reporter {
  let items: DeliveryNotice[] = [];
  let webhooks = new Map<number, number>();
  let counts = emptyCounts();
  let dirty = false;
  let timer: NodeJS.Timeout | undefined;

  const touch = () => {
    dirty = true;
    timer ??= setTimeout(flush, FLUSH_EVERY_MS);
  };

  function flush() {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (!dirty) return;
    dirty = false;
    if (items.length) emit({ type: "deliveries", items });
    if (webhooks.size) emit({ type: "webhooks", items: [...webhooks].map(([webhookId, roomId]) => ({ roomId, webhookId })) });
    emit({ type: "counts", counts });
    items = [];
    webhooks = new Map();
    counts = emptyCounts();
  }

  return {
    delivery(roomId, d) {
      items.push({ roomId, webhookId: d.webhookId, delivery: presentDelivery(d) });
      touch();
    },
    attempt(outcome, durationMs) {
      counts.attempts[outcome]++;
      counts.attemptDurations.push(durationMs / 1000);
      touch();
    },
    succeeded(createdAt) {
      counts.deliveries.succeeded++;
      counts.deliveryLatencies.push((Date.now() - createdAt.getTime()) / 1000);
      touch();
    },
    dead(count = 1) {
      counts.deliveries.dead += count;
      touch();
    },
    queueDepth(n) {
      counts.queueDepth = n;
      touch();
    },
    circuitsOpen(n) {
      counts.circuitsOpen = n;
      touch();
    },
    webhookChanged(roomId, webhookId) {
      webhooks.set(webhookId, roomId);
      touch();
    },
    send(message) {
      flush();
      emit(message);
    },
    flush,
  };
}
