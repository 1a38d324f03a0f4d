// Turns anything thrown into words for a person, and validation details into per-field messages.
import { ApiError } from "../api/http.ts";

export function errorMessage(error: unknown): string {
  if (error instanceof ApiError || error instanceof Error) {
    return error.message || "Something went wrong.";
  }
  if (typeof error === "string" && error) return error;
  const nested = (error as { error?: { message?: unknown } } | null)?.error?.message;
  if (typeof nested === "string" && nested) return nested;
  return "Something went wrong.";
}

/**
 * `details: [{path: "field.name", message}]` -> `{ "field.name": message, field: message }`.
 * The top-level field name is filled too, so a form can show `headers.X-Foo` next to "headers".
 */
export function fieldErrors(error: unknown): Record<string, string> {
  const details = error instanceof ApiError ? error.details : undefined;
  const out: Record<string, string> = {};
  if (!Array.isArray(details)) return out;
  for (const item of details) {
    if (!item || typeof item !== "object") continue;
    const { path, message } = item as { path?: unknown; message?: unknown };
    const key = Array.isArray(path) ? path.join(".") : typeof path === "string" ? path : "";
    const text = typeof message === "string" ? message : "Invalid value";
    if (!(key in out)) out[key] = text;
    const top = key.split(".")[0] ?? key;
    if (!(top in out)) out[top] = text;
  }
  return out;
}
