// Assertions on the error shape ({error: {code, message, details?}}). Apart from api.ts, which the
// bench imports outside Vitest.
import { expect } from "vitest";

/** The answer is `status` in the error shape, with this code and a message. */
export function expectError(res: { status: number; body: any }, status: number, code: string) {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.body.error.code).toBe(code);
  expect(typeof res.body.error.message).toBe("string");
}
