// The contract of the API: every DTO, request schema, enum and socket event map, shared by the
// server, the web client and the tests. Imports nothing of the server: only zod and itself.
export * from "./enums.ts";
export * from "./primitives.ts";
export * from "./users.ts";
export * from "./messages.ts";
export * from "./rooms.ts";
export * from "./webhook-settings.ts";
export * from "./deliveries.ts";
export * from "./incoming.ts";
export * from "./inspector.ts";
export * from "./ops.ts";
export * from "./webhook-payloads.ts";
export type * from "./socket-events.ts";
