// Log-in and sign-up form, showing the server's per-field problems next to each field.
import { useState, type FormEvent } from "react";
import { authApi } from "../../api/chat.ts";
import { errorMessage, fieldErrors } from "../../lib/errors.ts";
import { useSession } from "../../state/session.tsx";
import { ErrorNote, Field } from "../common/Field.tsx";

export type AuthMode = "login" | "signup";

export function AuthForm({ mode }: { mode: AuthMode }) {
  const { signIn } = useSession();
  const [username, setUsername] = useState("");
  const [displayName, setDisplayName] = useState("");
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [fields, setFields] = useState<Record<string, string>>({});
  const signup = mode === "signup";

  async function submit(event: FormEvent) {
    event.preventDefault();
    const local: Record<string, string> = {};
    if (!username.trim()) local.username = "Enter a username.";
    if (signup && !displayName.trim()) local.displayName = "Enter the name others will see.";
    if (!password) local.password = "Enter a password.";
    else if (signup && password.length < 8) local.password = "Use at least 8 characters.";
    setFields(local);
    setError(null);
    if (Object.keys(local).length) return;
    setBusy(true);
    try {
      const name = username.trim().toLowerCase();
      const result = signup
        ? await authApi.register({ username: name, password, displayName: displayName.trim() })
        : await authApi.login({ username: name, password });
      signIn(result.user, result.token);
    } catch (e) {
      setError(errorMessage(e));
      setFields(fieldErrors(e));
      setBusy(false);
    }
  }

  return (
    <form className="form" onSubmit={submit} noValidate>
      <Field
        label="Username"
        error={fields.username}
        hint={signup ? "3–32 characters: lower-case letters, digits, _ . -" : undefined}
      >
        {(p) => (
          <input
            {...p}
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            autoComplete="username"
            autoCapitalize="none"
            spellCheck={false}
            autoFocus
          />
        )}
      </Field>
      {signup && (
        <Field label="Display name" error={fields.displayName}>
          {(p) => <input {...p} value={displayName} onChange={(e) => setDisplayName(e.target.value)} autoComplete="name" />}
        </Field>
      )}
      <Field label="Password" error={fields.password} hint={signup ? "At least 8 characters." : undefined}>
        {(p) => (
          <input
            {...p}
            type="password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            autoComplete={signup ? "new-password" : "current-password"}
          />
        )}
      </Field>
      <ErrorNote message={error} />
      <button type="submit" className="btn btn-primary btn-block" disabled={busy}>
        {signup ? "Sign up" : "Log in"}
      </button>
    </form>
  );
}
