// A labelled textarea that grows with its text up to a limit.
import { useId, useLayoutEffect, useRef, type KeyboardEvent } from "react";

interface Props {
  label: string;
  value: string;
  onChange: (value: string) => void;
  onKeyDown?: (e: KeyboardEvent<HTMLTextAreaElement>) => void;
  placeholder?: string;
  autoFocus?: boolean;
  disabled?: boolean;
  labelHidden?: boolean;
  maxRows?: number;
  inputRef?: React.RefObject<HTMLTextAreaElement | null>;
}

export function AutoTextarea({ label, value, onChange, onKeyDown, placeholder, autoFocus, disabled, labelHidden = true, maxRows = 8, inputRef }: Props) {
  const id = useId();
  const own = useRef<HTMLTextAreaElement>(null);
  const ref = inputRef ?? own;
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    el.style.height = "auto";
    const line = parseFloat(getComputedStyle(el).lineHeight) || 20;
    el.style.height = `${Math.min(el.scrollHeight, line * maxRows + 16)}px`;
  }, [value, maxRows, ref]);
  return (
    <>
      <label htmlFor={id} className={labelHidden ? "visually-hidden" : undefined}>
        {label}
      </label>
      <textarea
        id={id}
        ref={ref}
        rows={1}
        value={value}
        placeholder={placeholder}
        autoFocus={autoFocus}
        disabled={disabled}
        onChange={(e) => onChange(e.target.value)}
        onKeyDown={onKeyDown}
      />
    </>
  );
}
