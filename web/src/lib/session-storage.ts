// Where the session token lives between reloads (localStorage, falling back to memory).
const KEY = "hookroom.token";
let memory: string | null = null;

function storage(): Storage | null {
  try {
    return typeof localStorage === "undefined" ? null : localStorage;
  } catch {
    return null;
  }
}

export function readToken(): string | null {
  return storage()?.getItem(KEY) ?? memory;
}

export function writeToken(token: string | null): void {
  memory = token;
  const s = storage();
  if (!s) return;
  if (token) s.setItem(KEY, token);
  else s.removeItem(KEY);
}

/** Small JSON values kept per browser (drafts, inspector bins). */
export function readJsonItem<T>(key: string, fallback: T): T {
  const raw = storage()?.getItem(key);
  if (!raw) return fallback;
  try {
    return JSON.parse(raw) as T;
  } catch {
    return fallback;
  }
}

export function writeJsonItem(key: string, value: unknown): void {
  try {
    if (value === undefined || value === null) storage()?.removeItem(key);
    else storage()?.setItem(key, JSON.stringify(value));
  } catch {
    // Storage full or disabled: the value simply is not kept.
  }
}
