// The webhook event names of the contract (src/contracts/enums.ts).
export { WEBHOOK_EVENTS, type WebhookEvent } from "../../contracts/enums.ts";
