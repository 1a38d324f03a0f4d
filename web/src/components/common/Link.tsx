// In-app links: real <a href> elements (open in a new tab works) that navigate without reloading.
import type { MouseEvent, ReactNode } from "react";
import { navigate } from "../../lib/router.ts";

export function linkHandler(path: string) {
  return (event: MouseEvent) => {
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey || event.button !== 0) return;
    event.preventDefault();
    navigate(path);
  };
}

export function Link({ to, className, children, ...rest }: { to: string; className?: string; children: ReactNode; "aria-current"?: "page" }) {
  return (
    <a href={to} className={className} onClick={linkHandler(to)} {...rest}>
      {children}
    </a>
  );
}
