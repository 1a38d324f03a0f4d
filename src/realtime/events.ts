// The Socket.IO event maps, shared by the server and the web client (type-only imports).

export type MessageBody = { text: string } & Record<string, unknown>;

/** A message as every client and receiver sees it (Spika's shape). */
export interface MessageDto {
  id: number;
  fromUserId: number;
  totalUserCount: number;
  deliveredCount: number;
  seenCount: number;
  roomId: number;
  type: string;
  body: MessageBody;
  createdAt: number;
  modifiedAt: number;
  localId: string | null;
  deleted: boolean;
  replyId: number | null;
}

export interface UserDto {
  id: number;
  username: string;
  displayName: string;
  avatarFileId: number | null;
  isBot?: boolean;
}

export interface RoomMemberDto {
  userId: number;
  username: string;
  displayName: string;
  isAdmin: boolean;
}

export interface RoomDto {
  id: number;
  name: string;
  avatarFileId: number | null;
  createdAt: number;
  modifiedAt: number;
  isAdmin?: boolean;
  members?: RoomMemberDto[];
  lastMessage?: MessageDto | null;
  unreadCount?: number;
}

export interface ErrorDto {
  error: { code: string; message: string; details?: unknown };
}

export interface InspectorRequestDto {
  id: number;
  method: string;
  path: string;
  query: Record<string, string | string[]>;
  headers: Record<string, string | string[]>;
  /** The body as text when it is valid UTF-8; otherwise `bodyBase64` holds its bytes. */
  body?: string;
  bodyBase64?: string;
  /** Lists and pushes carry the first 64 KiB; GET .../requests/:requestId the whole body. */
  bodyTruncated: boolean;
  /** The whole body's length in bytes. */
  bodySize: number;
  sourceIp: string;
  at: number;
}

export type Ack<T> = (response: T | ErrorDto) => void;

export interface ServerToClientEvents {
  "message:new": (p: { message: MessageDto }) => void;
  "message:updated": (p: { message: MessageDto }) => void;
  "message:deleted": (p: { message: MessageDto }) => void;
  "message:counts": (p: { messageId: number; roomId: number; deliveredCount: number; seenCount: number }) => void;
  /** The room's own fields changed (PATCH /api/rooms/:id); carries no member list. */
  "room:updated": (p: { room: RoomDto }) => void;
  /** Membership changes (extension): only the member that changed, to the room's members. */
  "member:added": (p: { roomId: number; member: RoomMemberDto }) => void;
  "member:updated": (p: { roomId: number; member: RoomMemberDto }) => void;
  "member:removed": (p: { roomId: number; userId: number }) => void;
  /** Sent to a user's sockets when they are added to a room (extension). */
  "room:joined": (p: { room: RoomDto }) => void;
  /** Sent to a user's sockets when they leave or are removed from a room (extension). */
  "room:left": (p: { roomId: number }) => void;
  typing: (p: { roomId: number; userId: number }) => void;
  "inspector:request": (p: { binId: string; request: InspectorRequestDto }) => void;
  /** A delivery of a webhook changed (extension, for the settings sidebar). */
  "webhook:delivery": (p: { roomId: number; webhookId: number; delivery: unknown }) => void;
  /**
   * A webhook changed (extension, for the settings sidebar): the whole webhook as GET returns it,
   * after an edit, a rotation, a change of its circuit (open, half_open, closed) or automatic disabling.
   */
  "webhook:updated": (p: { roomId: number; webhookId: number; webhook: unknown }) => void;
}

export interface ClientToServerEvents {
  "message:send": (
    p: { roomId: number; type?: string; body: MessageBody; localId?: string; replyId?: number },
    ack?: Ack<{ message: MessageDto }>,
  ) => void;
  typing: (p: { roomId: number }) => void;
  "inspector:watch": (p: { binId: string }, ack?: Ack<{ ok: true }>) => void;
  "inspector:unwatch": (p: { binId: string }, ack?: Ack<{ ok: true }>) => void;
}
