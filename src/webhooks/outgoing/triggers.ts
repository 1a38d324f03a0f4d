// Trigger words (as Mattermost's and Rocket.Chat's outgoing webhooks): a webhook with any only gets
// message.created and message.updated for a text whose first word (first_word) or any word
// (anywhere) equals one of them, ignoring case. Words are what whitespace separates.

import type { TriggerMatch } from "../../contracts/enums.ts";

export { MAX_TRIGGER_WORD_LENGTH, MAX_TRIGGER_WORDS, TRIGGER_MATCHES, type TriggerMatch } from "../../contracts/enums.ts";

/** The events trigger words filter; every other event is sent as the webhook subscribes. */
const FILTERED_EVENTS = new Set(["message.created", "message.updated"]);


const WHITESPACE = /\s+/u;

const fold = (word: string) => word.toLowerCase();

export interface Triggers {
  words: readonly string[];
  match: TriggerMatch;
}

/** Whether an event with this text goes to a webhook with these triggers. */
export function triggersAllow(triggers: Triggers, event: string, text: string | undefined): boolean {
  if (triggers.words.length === 0 || !FILTERED_EVENTS.has(event)) return true;
  const words = (text ?? "").split(WHITESPACE).filter((w) => w !== "");
  const wanted = new Set(triggers.words.map(fold));
  const candidates = triggers.match === "first_word" ? words.slice(0, 1) : words;
  return candidates.some((w) => wanted.has(fold(w)));
}

/** A webhook's stored triggers (a JSON column and a word); anything unreadable means "no filter". */
export function readTriggers(wordsJson: string, match: string): Triggers {
  // Most webhooks have none: no JSON to parse for them on the message path.
  if (wordsJson === "[]") return { words: [], match: match === "anywhere" ? "anywhere" : "first_word" };
  let words: unknown;
  try {
    words = JSON.parse(wordsJson);
  } catch {
    words = [];
  }
  return {
    words: Array.isArray(words) ? words.filter((w): w is string => typeof w === "string" && w !== "") : [],
    match: match === "anywhere" ? "anywhere" : "first_word",
  };
}
