// Auth, users, rooms, members and messages endpoints.
import { api } from "./http.ts";
import type { MessageDto, RoomDto, UserDto } from "./types.ts";

const enc = encodeURIComponent;

export const authApi = {
  register: (body: { username: string; password: string; displayName: string }) =>
    api.post<{ user: UserDto; token: string }>("/api/auth/register", body),
  login: (body: { username: string; password: string }) => api.post<{ user: UserDto; token: string }>("/api/auth/login", body),
  me: () => api.get<{ user: UserDto }>("/api/users/me"),
};

export const usersApi = {
  search: (search: string) => api.get<{ users: UserDto[] }>(`/api/users?search=${enc(search)}`),
  get: (userId: number) => api.get<{ user: UserDto }>(`/api/users/${userId}`),
};

export const roomsApi = {
  list: () => api.get<{ rooms: RoomDto[] }>("/api/rooms"),
  get: (roomId: number) => api.get<{ room: RoomDto }>(`/api/rooms/${roomId}`),
  create: (body: { name: string; memberIds: number[] }) => api.post<{ room: RoomDto }>("/api/rooms", body),
  rename: (roomId: number, name: string) => api.patch<{ room: RoomDto }>(`/api/rooms/${roomId}`, { name }),
  addMember: (roomId: number, userId: number) => api.post<unknown>(`/api/rooms/${roomId}/members`, { userId }),
  setAdmin: (roomId: number, userId: number, isAdmin: boolean) =>
    api.patch<unknown>(`/api/rooms/${roomId}/members/${userId}`, { isAdmin }),
  removeMember: (roomId: number, userId: number) => api.del<unknown>(`/api/rooms/${roomId}/members/${userId}`),
};

export const messagesApi = {
  page: (roomId: number, before: number | null, limit = 40) =>
    api.get<{ messages: MessageDto[] }>(
      `/api/rooms/${roomId}/messages?limit=${limit}${before !== null ? `&before=${before}` : ""}`,
    ),
  send: (roomId: number, body: { text: string; localId: string; replyId: number | null }) =>
    api.post<{ message: MessageDto }>(`/api/rooms/${roomId}/messages`, {
      type: "text",
      body: { text: body.text },
      localId: body.localId,
      ...(body.replyId ? { replyId: body.replyId } : {}),
    }),
  edit: (messageId: number, text: string) => api.patch<{ message: MessageDto }>(`/api/messages/${messageId}`, { body: { text } }),
  remove: (messageId: number) => api.del<{ message: MessageDto }>(`/api/messages/${messageId}`),
  delivered: (messageId: number) => api.post<unknown>(`/api/messages/${messageId}/delivered`),
  seen: (messageId: number) => api.post<unknown>(`/api/messages/${messageId}/seen`),
  roomSeen: (roomId: number) => api.post<{ roomId: number; seen: number }>(`/api/rooms/${roomId}/seen`),
};
