// Top navigation: the product, Chats and Inspector, and the signed-in user with Log out.
import type { Route } from "../lib/router.ts";
import { useStore } from "../state/chat-context.tsx";
import { useSession } from "../state/session.tsx";
import { Avatar } from "./common/Avatar.tsx";
import { linkHandler } from "./common/Link.tsx";

export function TopBar({ route }: { route: Route }) {
  const { signOut } = useSession();
  const { me } = useStore();
  const link = (path: string, label: string, current: boolean) => (
    <a href={path} className={`nav-link${current ? " is-current" : ""}`} aria-current={current ? "page" : undefined} onClick={linkHandler(path)}>
      {label}
    </a>
  );
  return (
    <header className="top-bar">
      <a href="/" className="brand" onClick={linkHandler("/")} aria-label="Hookroom home">
        <span className="brand-mark" aria-hidden="true" />
        <span className="brand-name">Hookroom</span>
      </a>
      <nav className="top-nav" aria-label="Main">
        {link("/", "Chats", route.name !== "inspector")}
        {link("/inspector", "Inspector", route.name === "inspector")}
      </nav>
      <div className="top-user">
        <Avatar name={me.displayName} size={28} />
        <span className="top-user-name" title={`@${me.username}`}>
          {me.displayName}
        </span>
        <button type="button" className="btn btn-small btn-ghost" onClick={() => signOut()}>
          Log out
        </button>
      </div>
    </header>
  );
}
