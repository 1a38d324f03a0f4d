// Reads a hook request's body as bytes, only as far as needed: a refused request costs at most
// the 4,096 bytes its log keeps, and a body over the limit is refused while it streams in.
import type { IncomingMessage } from "node:http";

export interface BodyReader {
  /** The whole body; `tooLarge` when it ran past `limit` (what was read stays in `bytes`). */
  whole(limit: number): Promise<{ bytes: Buffer; tooLarge: boolean }>;
  /** At least the first `n` bytes (or the whole body when shorter); the rest is left unread. */
  prefix(n: number): Promise<Buffer>;
  /** Whether the body was read to its end (if not, the connection must close after the answer). */
  readonly complete: boolean;
}

export function bodyReader(req: IncomingMessage): BodyReader {
  const chunks: Buffer[] = [];
  let length = 0;
  let complete = false;

  /** Reads until `enough(length)` or the end of the body, then pauses. */
  function readUntil(enough: (length: number) => boolean): Promise<void> {
    if (complete || enough(length)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const done = () => {
        req.off("data", onData).off("end", onEnd).off("error", onError).off("close", onClose);
        req.pause();
        resolve();
      };
      const onData = (chunk: Buffer) => {
        chunks.push(chunk);
        length += chunk.length;
        if (enough(length)) done();
      };
      const onEnd = () => {
        complete = true;
        done();
      };
      const onError = (err: Error) => {
        req.off("data", onData).off("end", onEnd).off("close", onClose);
        reject(err);
      };
      // The client went away before the end: answer with what there is (nobody will read it).
      const onClose = () => done();
      req.on("data", onData).on("end", onEnd).on("error", onError).on("close", onClose);
      req.resume();
    });
  }

  return {
    async whole(limit) {
      await readUntil((n) => n > limit);
      return { bytes: Buffer.concat(chunks), tooLarge: length > limit };
    },
    async prefix(n) {
      await readUntil((len) => len >= n);
      return Buffer.concat(chunks);
    },
    get complete() {
      return complete;
    },
  };
}
