// A button that copies text and says so; works without the async Clipboard API (plain http).
import { Icon } from "./Icon.tsx";
import { useEffect, useState } from "react";

async function copyText(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // fall through to the textarea method
  }
  const area = document.createElement("textarea");
  area.value = text;
  area.setAttribute("readonly", "");
  area.style.position = "fixed";
  area.style.opacity = "0";
  document.body.appendChild(area);
  area.select();
  let ok = false;
  try {
    ok = document.execCommand("copy");
  } catch {
    ok = false;
  }
  area.remove();
  return ok;
}

export function CopyButton({ text, label, className = "" }: { text: string; label: string; className?: string }) {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  useEffect(() => {
    if (state === "idle") return;
    const timer = setTimeout(() => setState("idle"), 1800);
    return () => clearTimeout(timer);
  }, [state]);
  // The name comes from the content ("Copy secret"), not aria-label, so it never matches a field's label.
  const what = label.replace(/^Copy\s*/, "");
  return (
    <>
      <button type="button" className={`btn btn-small btn-ghost copy-button ${className}`} title={label} onClick={async () => setState((await copyText(text)) ? "copied" : "failed")}>
        <Icon name={state === "copied" ? "check" : "copy"} size={14} />
        <span className="copy-text">{state === "copied" ? "Copied" : state === "failed" ? "Press Ctrl+C" : "Copy"}</span>
        <span className="visually-hidden"> {what}</span>
      </button>
      <span className="visually-hidden" role="status">
        {state === "copied" ? "Copied to the clipboard" : state === "failed" ? "Copying failed" : ""}
      </span>
    </>
  );
}
