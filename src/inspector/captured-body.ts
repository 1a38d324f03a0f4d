// A captured body as stored (its exact bytes, split at 64 KiB) and as shown (text when it is
// valid UTF-8, base64 when not; lists and pushes carry at most the first 64 KiB).
import { isUtf8 } from "node:buffer";

/** What lists and Socket.IO pushes carry of each body at most. */
export const BODY_PREVIEW_BYTES = 64 * 1024;

export interface StoredBody {
  bodyHead: Uint8Array<ArrayBuffer>;
  bodyTail: Uint8Array<ArrayBuffer>;
  bodySize: number;
  bodyUtf8: boolean;
}

/** The shown body: exactly one of `body` (text) and `bodyBase64` (bytes that are not UTF-8). */
export interface ShownBody {
  body?: string;
  bodyBase64?: string;
  /** True when only the first 64 KiB are shown. */
  bodyTruncated: boolean;
  /** The whole body's length in bytes. */
  bodySize: number;
}

/** Splits raw bytes for storage; the tail is empty for bodies up to 64 KiB. */
export function storeBody(raw: Buffer): StoredBody {
  return {
    bodyHead: Uint8Array.from(raw.subarray(0, BODY_PREVIEW_BYTES)),
    bodyTail: Uint8Array.from(raw.subarray(BODY_PREVIEW_BYTES)),
    bodySize: raw.length,
    bodyUtf8: isUtf8(raw),
  };
}

/** The whole body's bytes. */
export const wholeBody = (b: Pick<StoredBody, "bodyHead" | "bodyTail">): Buffer => Buffer.concat([b.bodyHead, b.bodyTail]);

/** The body as a list shows it: the head only, cut at 64 KiB (text cut before a split character). */
export function showPreview(b: Pick<StoredBody, "bodyHead" | "bodySize" | "bodyUtf8">): ShownBody {
  const head = Buffer.from(b.bodyHead.buffer, b.bodyHead.byteOffset, b.bodyHead.byteLength);
  const bodyTruncated = b.bodySize > head.length;
  if (!b.bodyUtf8) return { bodyBase64: head.toString("base64"), bodyTruncated, bodySize: b.bodySize };
  return { body: (bodyTruncated ? completeUtf8Prefix(head) : head).toString("utf8"), bodyTruncated, bodySize: b.bodySize };
}

/** The whole body. */
export function showWhole(b: StoredBody): ShownBody {
  const raw = wholeBody(b);
  return b.bodyUtf8
    ? { body: raw.toString("utf8"), bodyTruncated: false, bodySize: b.bodySize }
    : { bodyBase64: raw.toString("base64"), bodyTruncated: false, bodySize: b.bodySize };
}

/** Drops a character cut at the end of a UTF-8 prefix (at most 3 bytes), so decoding adds no U+FFFD. */
export function completeUtf8Prefix(bytes: Buffer): Buffer {
  let lead = bytes.length - 1;
  while (lead >= 0 && bytes.length - lead <= 3 && (bytes[lead]! & 0xc0) === 0x80) lead--;
  if (lead < 0) return bytes;
  const first = bytes[lead]!;
  const length = first < 0x80 ? 1 : first >= 0xf0 ? 4 : first >= 0xe0 ? 3 : 2;
  return lead + length > bytes.length ? bytes.subarray(0, lead) : bytes;
}
