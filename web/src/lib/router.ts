// A tiny history-API router: the client's few screens and their paths.
import { useEffect, useState } from "react";

export type Route =
  | { name: "home" }
  | { name: "room"; roomId: number }
  | { name: "inspector"; binId: string | null };

export function parseRoute(pathname: string): Route {
  const parts = pathname.split("/").filter(Boolean).map(decodeURIComponent);
  if (parts[0] === "rooms" && parts[1] && /^\d+$/.test(parts[1])) return { name: "room", roomId: Number(parts[1]) };
  if (parts[0] === "inspector") return { name: "inspector", binId: parts[1] ?? null };
  return { name: "home" };
}

export function routePath(route: Route): string {
  if (route.name === "room") return `/rooms/${route.roomId}`;
  if (route.name === "inspector") return route.binId ? `/inspector/${encodeURIComponent(route.binId)}` : "/inspector";
  return "/";
}

const EVENT = "hookroom:navigate";

export function navigate(to: Route | string, options: { replace?: boolean } = {}): void {
  const path = typeof to === "string" ? to : routePath(to);
  if (path === window.location.pathname) return;
  if (options.replace) window.history.replaceState(null, "", path);
  else window.history.pushState(null, "", path);
  window.dispatchEvent(new Event(EVENT));
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.pathname));
  useEffect(() => {
    const update = () => setRoute(parseRoute(window.location.pathname));
    window.addEventListener("popstate", update);
    window.addEventListener(EVENT, update);
    return () => {
      window.removeEventListener("popstate", update);
      window.removeEventListener(EVENT, update);
    };
  }, []);
  return route;
}
