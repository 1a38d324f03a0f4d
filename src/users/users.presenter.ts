// The public shape of a user: never the password hash.
import type { UserDto } from "../contracts/users.ts";

type UserRow = { id: number; username: string; displayName: string; avatarFileId: number | null; isBot: boolean };

export function presentUser(u: UserRow): UserDto {
  return {
    id: u.id,
    username: u.username,
    displayName: u.displayName,
    avatarFileId: u.avatarFileId,
    ...(u.isBot ? { isBot: true as const } : {}),
  } satisfies UserDto;
}

export const userSelect = { id: true, username: true, displayName: true, avatarFileId: true, isBot: true } as const;
