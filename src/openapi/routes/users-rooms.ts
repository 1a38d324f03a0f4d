// Auth, users, rooms, members, messages and receipts.
import {
  authResponse,
  memberResponse,
  messageCountsDto,
  messageResponse,
  messagesResponse,
  roomResponse,
  roomSeenResponse,
  roomsResponse,
  userResponse,
  usersResponse,
} from "../../contracts/index.ts";
import { loginBody, registerBody } from "../../auth/auth.schema.ts";
import { editMessageBody, historyQuery, messageParams, sendMessageBody } from "../../messages/messages.schema.ts";
import { addMemberBody, createRoomBody, memberParams, roomParams, updateMemberBody, updateRoomBody } from "../../rooms/rooms.schema.ts";
import { userParams, userSearchQuery } from "../../users/users.schema.ts";
import type { ApiRoute } from "../route-spec.ts";

const auth = "bearer" as const;

export const userAndRoomRoutes: ApiRoute[] = [
  { method: "post", path: "/api/auth/register", tag: "auth", summary: "Sign up", auth: "none", body: registerBody, status: 201, response: authResponse, errors: [409] },
  { method: "post", path: "/api/auth/login", tag: "auth", summary: "Log in", auth: "none", body: loginBody, status: 200, response: authResponse, errors: [401] },
  { method: "get", path: "/api/users/me", tag: "users", summary: "The caller", auth, status: 200, response: userResponse },
  { method: "get", path: "/api/users", tag: "users", summary: "Search people (up to 20)", auth, query: userSearchQuery, status: 200, response: usersResponse },
  { method: "get", path: "/api/users/{userId}", tag: "users", summary: "A user's public profile", auth, params: userParams, status: 200, response: userResponse },

  { method: "post", path: "/api/rooms", tag: "rooms", summary: "Create a room (the creator is its admin)", auth, body: createRoomBody, status: 201, response: roomResponse },
  { method: "get", path: "/api/rooms", tag: "rooms", summary: "The caller's rooms", auth, status: 200, response: roomsResponse },
  { method: "get", path: "/api/rooms/{roomId}", tag: "rooms", summary: "A room with its members", auth, params: roomParams, status: 200, response: roomResponse },
  { method: "patch", path: "/api/rooms/{roomId}", tag: "rooms", summary: "Rename a room or change its avatar (admin)", auth, params: roomParams, body: updateRoomBody, status: 200, response: roomResponse, errors: [403] },
  { method: "post", path: "/api/rooms/{roomId}/members", tag: "rooms", summary: "Add a member (admin)", auth, params: roomParams, body: addMemberBody, status: 201, response: memberResponse, errors: [403, 409] },
  { method: "patch", path: "/api/rooms/{roomId}/members/{userId}", tag: "rooms", summary: "Make a member admin or not (admin)", auth, params: memberParams, body: updateMemberBody, status: 200, response: memberResponse, errors: [403, 409] },
  { method: "delete", path: "/api/rooms/{roomId}/members/{userId}", tag: "rooms", summary: "Remove a member (admin), or leave", auth, params: memberParams, status: 204, response: null, errors: [403] },
  { method: "post", path: "/api/rooms/{roomId}/seen", tag: "messages", summary: "Mark every message of the room seen", auth, params: roomParams, status: 200, response: roomSeenResponse },

  { method: "post", path: "/api/rooms/{roomId}/messages", tag: "messages", summary: "Send a message", auth, params: roomParams, body: sendMessageBody, status: 201, response: messageResponse },
  { method: "get", path: "/api/rooms/{roomId}/messages", tag: "messages", summary: "History, newest first", auth, params: roomParams, query: historyQuery, status: 200, response: messagesResponse },
  { method: "patch", path: "/api/messages/{messageId}", tag: "messages", summary: "Edit a message (author)", auth, params: messageParams, body: editMessageBody, status: 200, response: messageResponse, errors: [403, 409] },
  { method: "delete", path: "/api/messages/{messageId}", tag: "messages", summary: "Delete a message (author or room admin)", auth, params: messageParams, status: 200, response: messageResponse, errors: [403] },
  { method: "post", path: "/api/messages/{messageId}/delivered", tag: "messages", summary: "Mark a message delivered", auth, params: messageParams, status: 200, response: messageCountsDto },
  { method: "post", path: "/api/messages/{messageId}/seen", tag: "messages", summary: "Mark a message seen (and delivered)", auth, params: messageParams, status: 200, response: messageCountsDto },
];
