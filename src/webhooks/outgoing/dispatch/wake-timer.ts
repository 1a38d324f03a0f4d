// Wake-ups due before the dispatcher's next sweep (a retry with a short WEBHOOK_RETRY_DELAYS_MS, a
// circuit whose cool-down ends soon): one timer for the earliest, the webhooks due at once woken together.
export class WakeTimer {
  private readonly due = new Map<number, number>();
  private timer: { at: number; handle: NodeJS.Timeout } | undefined;

  constructor(
    private readonly sweepEveryMs: number,
    private readonly wake: (webhookIds: number[]) => void,
  ) {}

  /** Wakes `webhookId` at `at` (ms), unless the sweep comes first anyway. */
  at(at: number, webhookId: number): void {
    if (at - Date.now() >= this.sweepEveryMs) return;
    this.due.set(webhookId, Math.min(at, this.due.get(webhookId) ?? Infinity));
    if (this.timer && this.timer.at <= at) return;
    if (this.timer) clearTimeout(this.timer.handle);
    const handle = setTimeout(() => this.fire(), Math.max(0, at - Date.now()) + 1);
    this.timer = { at, handle };
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer.handle);
    this.timer = undefined;
  }

  private fire(): void {
    this.timer = undefined;
    const now = Date.now();
    const ready = [...this.due].filter(([, t]) => t <= now).map(([id]) => id);
    for (const id of ready) this.due.delete(id);
    this.wake(ready);
    const next = Math.min(...this.due.values());
    if (Number.isFinite(next)) this.at(next, [...this.due].find(([, t]) => t === next)![0]);
  }
}
