// Chooses between the landing page and the signed-in app, once the stored session is checked.
import { AuthScreen } from "./components/auth/AuthScreen.tsx";
import { Shell } from "./components/Shell.tsx";
import { ChatProvider } from "./state/chat-context.tsx";
import { SessionProvider, useSession } from "./state/session.tsx";

export function App() {
  return (
    <SessionProvider>
      <Root />
    </SessionProvider>
  );
}

function Root() {
  const { session, retry } = useSession();
  if (session.status === "checking") {
    return (
      <div className="splash" role="status">
        <span className="brand-mark" aria-hidden="true" /> Loading…
      </div>
    );
  }
  if (session.status === "unreachable") {
    return (
      <div className="splash">
        <p role="alert">{session.message}</p>
        <button type="button" className="btn btn-primary" onClick={retry}>
          Try again
        </button>
      </div>
    );
  }
  if (session.status === "anonymous") return <AuthScreen notice={session.notice} />;
  return (
    <ChatProvider key={session.user.id} user={session.user} token={session.token}>
      <Shell />
    </ChatProvider>
  );
}
