// An inline "are you sure?" with a clear consequence, instead of a browser pop-up.
import type { ReactNode } from "react";

interface Props {
  children: ReactNode;
  confirmLabel: string;
  onConfirm: () => void;
  onCancel: () => void;
  danger?: boolean;
  busy?: boolean;
}

export function Confirm({ children, confirmLabel, onConfirm, onCancel, danger, busy }: Props) {
  return (
    <div className="confirm" role="group" aria-label={confirmLabel}>
      <p>{children}</p>
      <div className="confirm-actions">
        <button type="button" className={`btn btn-small ${danger ? "btn-danger" : "btn-primary"}`} onClick={onConfirm} disabled={busy} autoFocus>
          {confirmLabel}
        </button>
        <button type="button" className="btn btn-small btn-ghost" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </div>
  );
}
