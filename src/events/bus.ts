// A small typed in-process event bus. Services publish after their transaction commits;
// consumers (realtime, webhook dispatcher, metrics) subscribe. A failing handler is logged, never thrown back.
import type { Logger } from "../observability/logger.ts";

type Handler<P> = (payload: P) => void | Promise<void>;

export class EventBus<Events extends { [K in keyof Events]: unknown }> {
  private readonly handlers = new Map<keyof Events, Set<Handler<never>>>();

  constructor(private readonly log: Logger) {}

  on<K extends keyof Events>(event: K, handler: Handler<Events[K]>): () => void {
    let set = this.handlers.get(event);
    if (!set) this.handlers.set(event, (set = new Set()));
    set.add(handler as Handler<never>);
    return () => set.delete(handler as Handler<never>);
  }

  publish<K extends keyof Events>(event: K, payload: Events[K]): void {
    for (const handler of this.handlers.get(event) ?? []) {
      try {
        const result = (handler as Handler<Events[K]>)(payload);
        if (result instanceof Promise) {
          result.catch((err) => this.log.error({ err, event }, "event handler failed"));
        }
      } catch (err) {
        this.log.error({ err, event }, "event handler failed");
      }
    }
  }
}
