// The signed-in frame: top bar, connection banner, and the current screen.
import { useRoute } from "../lib/router.ts";
import { ChatLayout } from "./rooms/ChatLayout.tsx";
import { ConnectionBanner } from "./ConnectionBanner.tsx";
import { InspectorPage } from "./inspector/InspectorPage.tsx";
import { TopBar } from "./TopBar.tsx";

export function Shell() {
  const route = useRoute();
  return (
    <div className="app">
      <TopBar route={route} />
      <ConnectionBanner />
      <main className="app-main" id="main">
        {route.name === "inspector" ? (
          <InspectorPage binId={route.binId} />
        ) : (
          <ChatLayout roomId={route.name === "room" ? route.roomId : null} />
        )}
      </main>
    </div>
  );
}
