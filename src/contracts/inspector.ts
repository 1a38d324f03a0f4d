// The built-in request inspector: bins, the requests they caught, and the signature check.
import { z } from "zod";
import { count, epochMs, headerMap, id, idOut } from "./primitives.ts";

export const binDto = z.object({
  id: z.string(),
  url: z.string().meta({ description: "send anything here: <PUBLIC_URL>/inspect/<id>" }),
  createdAt: epochMs,
});
export type BinDto = z.output<typeof binDto>;

export const inspectorRequestDto = z.object({
  id: idOut,
  method: z.string(),
  path: z.string(),
  query: headerMap,
  headers: headerMap,
  /** The body as text when it is valid UTF-8; otherwise `bodyBase64` holds its bytes. */
  body: z.string().optional(),
  bodyBase64: z.string().optional(),
  /** Lists and pushes carry the first 64 KiB; GET .../requests/:requestId the whole body. */
  bodyTruncated: z.boolean(),
  /** The whole body's length in bytes. */
  bodySize: count,
  sourceIp: z.string(),
  at: epochMs,
});
export type InspectorRequestDto = z.output<typeof inspectorRequestDto>;

export const signatureVerdictDto = z.object({ valid: z.boolean(), reason: z.string().optional() });
export type SignatureVerdict = z.output<typeof signatureVerdictDto>;
export const verifyResultDto = z.object({ standardWebhooks: signatureVerdictDto, xSignature: signatureVerdictDto });
export type VerifyResultDto = z.output<typeof verifyResultDto>;

/** Bin ids are nanoids; anything else cannot name a bin (404, not 400: nothing to validate for a guesser). */
export const binId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);
export const binParams = z.object({ binId });
export const requestParams = z.object({ binId, requestId: id });

export const verifyBody = z.object({
  secret: z.string().min(1, "is required").max(1024, "must be at most 1,024 characters"),
});

export const binResponse = z.object({ bin: binDto });
export const binsResponse = z.object({ bins: z.array(binDto) });
export const inspectorRequestsResponse = z.object({ requests: z.array(inspectorRequestDto) });
export const inspectorRequestResponse = z.object({ request: inspectorRequestDto });
export const captureResponse = z.object({ ok: z.literal(true) });
