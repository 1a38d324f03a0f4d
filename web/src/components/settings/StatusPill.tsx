// A delivery's or webhook's status as a coloured word (the word itself is what matters).
export function StatusPill({ status, tone }: { status: string; tone?: string }) {
  return <span className={`status-pill status-${tone ?? status}`}>{status}</span>;
}
