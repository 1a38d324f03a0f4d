// Shows captured HTTP bodies and headers readably: JSON indented, form payloads decoded.
export type Headers = Record<string, string | string[] | undefined> | null | undefined;

export interface PrettyBody {
  text: string;
  kind: "json" | "form" | "text" | "empty";
}

export function prettyBody(body: string | null | undefined, contentType?: string | null): PrettyBody {
  if (body === null || body === undefined || body === "") return { text: "", kind: "empty" };
  const json = tryJson(body);
  if (json !== undefined) return { text: json, kind: "json" };
  const looksLikeForm = contentType?.includes("x-www-form-urlencoded") || /^[\w.%[\]-]+=[^\s]*$/.test(body);
  if (looksLikeForm) {
    const params = new URLSearchParams(body);
    const lines: string[] = [];
    for (const [key, value] of params) {
      const inner = tryJson(value);
      lines.push(inner !== undefined ? `${key} =\n${inner}` : `${key} = ${value}`);
    }
    if (lines.length) return { text: lines.join("\n"), kind: "form" };
  }
  return { text: body, kind: "text" };
}

function tryJson(text: string): string | undefined {
  const trimmed = text.trim();
  if (!trimmed.startsWith("{") && !trimmed.startsWith("[")) return undefined;
  try {
    return JSON.stringify(JSON.parse(trimmed), null, 2);
  } catch {
    return undefined;
  }
}

export function headerValue(headers: Headers, name: string): string | undefined {
  if (!headers) return undefined;
  const lower = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === lower) return Array.isArray(value) ? value.join(", ") : value;
  }
  return undefined;
}

export function headerEntries(headers: Headers): Array<[string, string]> {
  if (!headers) return [];
  return Object.entries(headers)
    .filter((entry): entry is [string, string | string[]] => entry[1] !== undefined)
    .map(([key, value]): [string, string] => [key, Array.isArray(value) ? value.join(", ") : value])
    .sort(([a], [b]) => a.toLowerCase().localeCompare(b.toLowerCase()));
}

export function formatHeaderBlock(headers: Headers): string {
  return headerEntries(headers)
    .map(([k, v]) => `${k}: ${v}`)
    .join("\n");
}
