// Wire types of the REST API and Socket.IO that the client uses: the server's contract
// (src/contracts), imported as types (and zod-free constants), never copied here.
export type {
  AttemptDto,
  BinDto,
  CircuitDto,
  ClientToServerEvents,
  DeliveryDetailDto,
  DeliveryDto,
  DeliveryFilter,
  DeliveryStatus,
  ErrorDto,
  HookRequestDto,
  IncomingWebhookDto,
  InspectorRequestDto,
  MessageDto,
  ReplayStatus,
  RoomDto,
  RoomMemberDto,
  ServerToClientEvents,
  SignatureVerdict as SignatureCheck,
  TriggerMatch,
  UserDto,
  Verification as IncomingVerification,
  VerifyResultDto as VerifyResult,
  WebhookContentType as ContentType,
  WebhookDto,
  WebhookInput,
  WebhookMethod as HttpMethod,
} from "../../../src/contracts/index.ts";
import { WEBHOOK_EVENTS as ALL_WEBHOOK_EVENTS, type WebhookEvent } from "../../../src/contracts/enums.ts";

/** The events a webhook can subscribe to in the form (the ping is sent on demand, whatever is chosen). */
export const WEBHOOK_EVENTS = ALL_WEBHOOK_EVENTS.filter((e): e is Exclude<WebhookEvent, "webhook.ping"> => e !== "webhook.ping");
