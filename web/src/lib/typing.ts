// Who is typing in a room: each `typing` event keeps a person listed for a few seconds.
export const TYPING_TTL_MS = 4000;

export type TypingMap = Readonly<Record<number, number>>;

export function noteTyping(map: TypingMap, userId: number, now: number): TypingMap {
  return { ...map, [userId]: now + TYPING_TTL_MS };
}

export function stopTyping(map: TypingMap, userId: number): TypingMap {
  if (!(userId in map)) return map;
  const next = { ...map };
  delete next[userId];
  return next;
}

export function activeTypists(map: TypingMap, now: number): number[] {
  return Object.entries(map)
    .filter(([, until]) => until > now)
    .map(([id]) => Number(id));
}

export function typingText(names: readonly string[]): string | null {
  if (names.length === 0) return null;
  if (names.length === 1) return `${names[0]} is typing…`;
  if (names.length === 2) return `${names[0]} and ${names[1]} are typing…`;
  return "Several people are typing…";
}
