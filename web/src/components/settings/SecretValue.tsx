// A secret shown as dots until revealed; it can be copied either way.
import { useState } from "react";
import { CopyButton } from "../common/CopyButton.tsx";

export function SecretValue({ secret }: { secret: string }) {
  const [shown, setShown] = useState(false);
  const masked = secret.startsWith("whsec_") ? "whsec_" + "•".repeat(10) : "•".repeat(12);
  return (
    <span className="value-with-actions">
      <code className="secret-value">{shown ? secret : (
          <>
            <span aria-hidden="true">{masked}</span>
            <span className="visually-hidden">hidden</span>
          </>
        )}</code>
      <button type="button" className="btn btn-small btn-ghost" aria-pressed={shown} onClick={() => setShown((s) => !s)}>
        {shown ? "Hide secret" : "Reveal secret"}
      </button>
      <CopyButton text={secret} label="Copy secret" />
    </span>
  );
}
