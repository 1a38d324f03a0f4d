// The landing page: a Log in and a Sign up tab, each with its own form.
import { useState } from "react";
import { AuthForm, type AuthMode } from "./AuthForm.tsx";

export function AuthScreen({ notice }: { notice?: string }) {
  const [mode, setMode] = useState<AuthMode>("login");
  const tab = (value: AuthMode, label: string) => (
    <button
      type="button"
      role="tab"
      id={`tab-${value}`}
      aria-selected={mode === value}
      aria-controls="auth-panel"
      tabIndex={mode === value ? 0 : -1}
      className={`auth-tab${mode === value ? " is-active" : ""}`}
      onClick={() => setMode(value)}
      onKeyDown={(e) => {
        if (e.key === "ArrowLeft" || e.key === "ArrowRight") {
          const next = mode === "login" ? "signup" : "login";
          setMode(next);
          document.getElementById(`tab-${next}`)?.focus();
        }
      }}
    >
      {label}
    </button>
  );
  return (
    <main className="auth-screen">
      <section className="auth-intro">
        <div className="brand brand-large">
          <span className="brand-mark" aria-hidden="true" />
          Hookroom
        </div>
        <h1>Chat rooms that talk to your other tools.</h1>
        <p>
          Talk with your team in real time, send every message to a webhook, post into rooms from scripts, and watch
          what is sent with the built-in inspector.
        </p>
      </section>
      <section className="auth-card" aria-label="Account">
        {notice && <p className="notice">{notice}</p>}
        <div className="auth-tabs" role="tablist" aria-label="Account">
          {tab("login", "Log in")}
          {tab("signup", "Sign up")}
        </div>
        <div id="auth-panel" role="tabpanel" aria-labelledby={`tab-${mode}`}>
          <AuthForm key={mode} mode={mode} />
        </div>
      </section>
    </main>
  );
}
