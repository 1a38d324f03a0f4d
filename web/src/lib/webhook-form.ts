// The outgoing-webhook form: its state, checks before sending, and the request body it makes.
import { WEBHOOK_EVENTS, type CircuitDto, type ContentType, type HttpMethod, type TriggerMatch, type WebhookDto, type WebhookInput } from "../api/types.ts";

export interface WebhookFormState {
  name: string;
  url: string;
  method: HttpMethod;
  contentType: ContentType;
  maxAttempts: string;
  enabled: boolean;
  /** Empty means "keep" (editing) or "generate one" (new). */
  secret: string;
  events: string[];
  /** One `Name: value` per line. */
  headers: string;
  replyEnabled: boolean;
  /** Comma-separated. */
  triggerWords: string;
  triggerMatch: TriggerMatch;
}

export type FormErrors = Partial<Record<keyof WebhookFormState, string>>;

export function toFormState(webhook?: WebhookDto | null): WebhookFormState {
  return {
    name: webhook?.name ?? "",
    url: webhook?.url ?? "",
    method: webhook?.method ?? "POST",
    contentType: webhook?.contentType ?? "application/json",
    maxAttempts: String(webhook?.maxAttempts ?? 8),
    enabled: webhook?.enabled ?? true,
    secret: "",
    events: webhook?.events ? [...webhook.events] : ["message.created"],
    headers: formatHeaders(webhook?.headers ?? null),
    replyEnabled: webhook?.replyEnabled ?? false,
    triggerWords: (webhook?.triggerWords ?? []).join(", "),
    triggerMatch: webhook?.triggerMatch ?? "first_word",
  };
}

const MAX_TRIGGER_WORDS = 50;
const MAX_TRIGGER_WORD_LENGTH = 100;

/** The comma-separated trigger words as the API takes them: trimmed, empty ones left out. */
export function parseTriggerWords(text: string): string[] {
  return text
    .split(",")
    .map((w) => w.trim())
    .filter((w) => w !== "");
}

function triggerWordsProblem(text: string): string | undefined {
  const words = parseTriggerWords(text);
  if (words.some((w) => /\s/.test(w))) return "Separate trigger words with commas: each one is a single word, without spaces.";
  if (words.length > MAX_TRIGGER_WORDS) return `Use at most ${MAX_TRIGGER_WORDS} trigger words.`;
  if (words.some((w) => w.length > MAX_TRIGGER_WORD_LENGTH)) return `A trigger word has at most ${MAX_TRIGGER_WORD_LENGTH} characters.`;
  return undefined;
}

export function formatHeaders(headers: Record<string, string> | null): string {
  return Object.entries(headers ?? {})
    .map(([name, value]) => `${name}: ${value}`)
    .join("\n");
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const RESERVED = new Set([
  "content-type",
  "content-length",
  "host",
  "user-agent",
  "verification-signature",
  "webhook-id",
  "webhook-timestamp",
  "webhook-signature",
  "x-signature",
  "x-webhook-event",
]);

export function parseHeaders(text: string): { headers: Record<string, string> } | { error: string } {
  const headers: Record<string, string> = {};
  const lines = text.split(/\r?\n/);
  for (const [index, raw] of lines.entries()) {
    const line = raw.trim();
    if (!line) continue;
    const colon = line.indexOf(":");
    if (colon <= 0) return { error: `Line ${index + 1}: write it as "Header-Name: value".` };
    const name = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (!TOKEN.test(name)) return { error: `Line ${index + 1}: "${name}" is not a valid header name.` };
    if (RESERVED.has(name.toLowerCase())) return { error: `Line ${index + 1}: ${name} is set by the server.` };
    headers[name] = value;
  }
  return { headers };
}

export function validateForm(state: WebhookFormState): FormErrors {
  const errors: FormErrors = {};
  const url = state.url.trim();
  if (!url) errors.url = "Enter the URL that should receive the events.";
  else if (!isHttpUrl(url)) errors.url = "Enter a full http:// or https:// URL.";
  const attempts = Number(state.maxAttempts);
  if (!Number.isInteger(attempts) || attempts < 1 || attempts > 20) errors.maxAttempts = "Choose a whole number from 1 to 20.";
  if (state.events.length === 0) errors.events = "Choose at least one event.";
  if (state.secret && !/^[\x21-\x7e]{16,128}$/.test(state.secret)) {
    errors.secret = "A secret is 16 to 128 visible ASCII characters without spaces (or leave it empty).";
  }
  const parsed = parseHeaders(state.headers);
  if ("error" in parsed) errors.headers = parsed.error;
  if (state.name.length > 100) errors.name = "Keep the name under 100 characters.";
  const triggers = triggerWordsProblem(state.triggerWords);
  if (triggers) errors.triggerWords = triggers;
  return errors;
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === "http:" || url.protocol === "https:";
  } catch {
    return false;
  }
}

export function toWebhookInput(state: WebhookFormState): WebhookInput {
  const parsed = parseHeaders(state.headers);
  const input: WebhookInput = {
    url: state.url.trim(),
    method: state.method,
    contentType: state.contentType,
    maxAttempts: Number(state.maxAttempts),
    enabled: state.enabled,
    events: WEBHOOK_EVENTS.filter((e) => state.events.includes(e)),
    headers: "headers" in parsed ? parsed.headers : {},
    replyEnabled: state.replyEnabled,
    triggerWords: parseTriggerWords(state.triggerWords),
    triggerMatch: state.triggerMatch,
  };
  // Empty name: left out, so the server keeps its default (or the current name).
  if (state.name.trim()) input.name = state.name.trim();
  if (state.secret) input.secret = state.secret;
  return input;
}

/** Status line of a webhook in the list. */
export function webhookStatus(webhook: WebhookDto): { label: string; tone: "ok" | "off" | "bad"; reason: string | null } {
  if (webhook.enabled) return { label: "active", tone: "ok", reason: null };
  if (webhook.disabledReason) return { label: "disabled", tone: "bad", reason: webhook.disabledReason };
  return { label: "paused", tone: "off", reason: null };
}

/** The circuit breaker in words, for the card; null while it is closed (nothing to say). */
export function circuitNotice(circuit: CircuitDto | undefined, time: (ms: number) => string): { label: string; text: string } | null {
  if (!circuit || circuit.state === "closed") return null;
  const failures = `${circuit.failures} failed ${circuit.failures === 1 ? "attempt" : "attempts"} in a row`;
  if (circuit.state === "half_open") return { label: "circuit half open", text: `Circuit half open: one delivery is being tried after ${failures}.` };
  const until = circuit.openUntil === null ? "" : ` until ${time(circuit.openUntil)}`;
  return { label: "circuit open", text: `Circuit open${until} after ${failures}: nothing is sent meanwhile, and no attempt is used up.` };
}
