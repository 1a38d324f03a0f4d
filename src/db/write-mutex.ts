// One writer at a time on an SQLite file, across the threads of this process (the API's and the
// webhook dispatcher's), without ever blocking an event loop. SQLite would serialize writers by
// itself, but its busy handler sleeps in whole milliseconds on the waiting thread: on the API's
// thread that is time no request gets. Here every waiter awaits (Atomics.waitAsync) instead.
// Waiters are served in order: FIFO within a thread, and a ticket lock between threads.

const NEXT_TICKET = 0;
const SERVING = 1;
const HOLDER = 2;

export type Release = () => void;

export class WriteMutex {
  private readonly cells: Int32Array;
  private tail: Promise<void> = Promise.resolve();

  /** `buffer`: the same SharedArrayBuffer in every thread that writes the file (see `shared`). */
  constructor(
    readonly shared: SharedArrayBuffer = new SharedArrayBuffer(3 * Int32Array.BYTES_PER_ELEMENT),
    /** Marks who holds it, so a thread that dies holding it can be cleared (see releaseIfHeldBy). */
    private readonly holderId = 1,
  ) {
    this.cells = new Int32Array(shared);
  }

  async acquire(): Promise<Release> {
    // Within this thread: one waiter at a time reaches the shared part, in arrival order.
    let releaseLocal!: () => void;
    const previous = this.tail;
    this.tail = new Promise<void>((resolve) => (releaseLocal = resolve));
    await previous;
    const ticket = Atomics.add(this.cells, NEXT_TICKET, 1);
    for (;;) {
      const serving = Atomics.load(this.cells, SERVING);
      if (serving === ticket) break;
      const wait = Atomics.waitAsync(this.cells, SERVING, serving);
      if (wait.async) await wait.value;
    }
    Atomics.store(this.cells, HOLDER, this.holderId);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      Atomics.store(this.cells, HOLDER, 0);
      Atomics.add(this.cells, SERVING, 1);
      Atomics.notify(this.cells, SERVING);
      releaseLocal();
    };
  }

  /** Runs `fn` holding the mutex. */
  async with<T>(fn: () => Promise<T> | T): Promise<T> {
    const release = await this.acquire();
    try {
      return await fn();
    } finally {
      release();
    }
  }

  /** A thread that died (terminated) while holding the mutex would hold it forever: let it go. */
  releaseIfHeldBy(holderId: number): boolean {
    if (Atomics.compareExchange(this.cells, HOLDER, holderId, 0) !== holderId) return false;
    Atomics.add(this.cells, SERVING, 1);
    Atomics.notify(this.cells, SERVING);
    return true;
  }
}
