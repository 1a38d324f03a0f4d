// Searches users by name as you type and offers them as options (Enter or click picks one).
import { useEffect, useId, useState } from "react";
import { usersApi } from "../../api/chat.ts";
import type { UserDto } from "../../api/types.ts";
import { errorMessage } from "../../lib/errors.ts";

interface Props {
  label: string;
  /** Users not to offer (already chosen, already members, oneself). */
  excludeIds: readonly number[];
  onPick: (user: UserDto) => void;
  disabled?: boolean;
}

export function UserPicker({ label, excludeIds, onPick, disabled }: Props) {
  const id = useId();
  const [query, setQuery] = useState("");
  const [results, setResults] = useState<UserDto[]>([]);
  const [active, setActive] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [searching, setSearching] = useState(false);
  // Enter pressed before the results came: pick the first one when they do.
  const [pickOnArrival, setPickOnArrival] = useState(false);
  const excluded = excludeIds.join(",");

  useEffect(() => {
    const term = query.trim();
    if (!term) {
      setResults([]);
      setSearching(false);
      return;
    }
    let cancelled = false;
    setSearching(true);
    const timer = setTimeout(() => {
      usersApi
        .search(term)
        .then(({ users }) => {
          if (cancelled) return;
          const skip = new Set(excluded.split(",").filter(Boolean).map(Number));
          const found = users.filter((u) => !skip.has(u.id) && !u.isBot).slice(0, 8);
          setResults(found);
          setActive(0);
          setError(null);
        })
        .catch((e) => !cancelled && setError(errorMessage(e)))
        .finally(() => !cancelled && setSearching(false));
    }, 200);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [query, excluded]);

  const pick = (user: UserDto) => {
    onPick(user);
    setQuery("");
    setResults([]);
    setPickOnArrival(false);
  };

  useEffect(() => {
    if (pickOnArrival && !searching && results[0]) pick(results[0]);
    if (pickOnArrival && !searching && results.length === 0) setPickOnArrival(false);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [pickOnArrival, searching, results]);
  const open = results.length > 0;
  const listId = `${id}-list`;
  return (
    <div className="field user-picker">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        role="combobox"
        aria-expanded={open}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={open ? `${id}-opt-${active}` : undefined}
        value={query}
        disabled={disabled}
        placeholder="Search by name or username"
        autoComplete="off"
        onChange={(e) => setQuery(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === "ArrowDown" && open) {
            e.preventDefault();
            setActive((a) => Math.min(results.length - 1, a + 1));
          } else if (e.key === "ArrowUp" && open) {
            e.preventDefault();
            setActive((a) => Math.max(0, a - 1));
          } else if (e.key === "Enter" && open && !searching) {
            e.preventDefault();
            pick(results[active]!);
          } else if (e.key === "Enter" && query.trim()) {
            e.preventDefault();
            setPickOnArrival(true);
          } else if (e.key === "Escape") {
            setResults([]);
          }
        }}
      />
      <ul id={listId} role="listbox" aria-label="Suggestions" className={`picker-results${open ? " is-open" : ""}`}>
        {results.map((user, index) => (
          <li
            key={user.id}
            id={`${id}-opt-${index}`}
            role="option"
            aria-selected={index === active}
            className={index === active ? "is-active" : ""}
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => pick(user)}
          >
            <span className="picker-name">{user.displayName}</span> <span className="muted">@{user.username}</span>
          </li>
        ))}
      </ul>
      <p className="field-hint" role="status">
        {error ?? (query.trim() && !searching && results.length === 0 ? "Nobody found." : "")}
      </p>
    </div>
  );
}
