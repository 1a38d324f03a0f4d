// Every route of the public API, as the document lists them.
import type { ApiRoute } from "./route-spec.ts";
import { inspectorAndOpsRoutes } from "./routes/inspector-ops.ts";
import { userAndRoomRoutes } from "./routes/users-rooms.ts";
import { webhookRoutes } from "./routes/webhooks.ts";

export const apiRoutes = (): ApiRoute[] => [...userAndRoomRoutes, ...webhookRoutes, ...inspectorAndOpsRoutes];
