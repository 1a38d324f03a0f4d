// Who is signed in: restores the session from the stored token, and ends it on logout or a 401.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import { authApi } from "../api/chat.ts";
import { ApiError, onUnauthorized } from "../api/http.ts";
import type { UserDto } from "../api/types.ts";
import { errorMessage } from "../lib/errors.ts";
import { readToken, writeToken } from "../lib/session-storage.ts";

type SessionState =
  | { status: "checking" }
  | { status: "anonymous"; notice?: string }
  | { status: "unreachable"; message: string }
  | { status: "signed-in"; user: UserDto; token: string };

interface SessionApi {
  session: SessionState;
  signIn: (user: UserDto, token: string) => void;
  signOut: (notice?: string) => void;
  retry: () => void;
}

const SessionContext = createContext<SessionApi | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<SessionState>(() => (readToken() ? { status: "checking" } : { status: "anonymous" }));
  const [attempt, setAttempt] = useState(0);

  const signIn = useCallback((user: UserDto, token: string) => {
    writeToken(token);
    setSession({ status: "signed-in", user, token });
  }, []);

  const signOut = useCallback((notice?: string) => {
    writeToken(null);
    setSession({ status: "anonymous", notice });
  }, []);

  useEffect(() => {
    const token = readToken();
    if (!token) return;
    let cancelled = false;
    authApi
      .me()
      .then(({ user }) => !cancelled && setSession({ status: "signed-in", user, token }))
      .catch((error) => {
        if (cancelled) return;
        if (error instanceof ApiError && error.status === 401) signOut("Your session has ended. Please log in again.");
        else setSession({ status: "unreachable", message: errorMessage(error) });
      });
    return () => {
      cancelled = true;
    };
  }, [attempt, signOut]);

  useEffect(() => onUnauthorized(() => signOut("Your session has ended. Please log in again.")), [signOut]);

  const value = useMemo<SessionApi>(
    () => ({
      session,
      signIn,
      signOut,
      retry: () => {
        setSession({ status: "checking" });
        setAttempt((n) => n + 1);
      },
    }),
    [session, signIn, signOut],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionApi {
  const value = useContext(SessionContext);
  if (!value) throw new Error("useSession outside SessionProvider");
  return value;
}
