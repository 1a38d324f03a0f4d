// The public shapes of rooms and members.
import type { RoomDto, RoomMemberDto } from "../contracts/rooms.ts";

type RoomRow = { id: number; name: string; avatarFileId: number | null; createdAt: Date; modifiedAt: Date };
type MemberRow = { userId: number; isAdmin: boolean; user: { username: string; displayName: string } };

export function presentRoom(room: RoomRow, extra: Partial<RoomDto> = {}): RoomDto {
  return {
    id: room.id,
    name: room.name,
    avatarFileId: room.avatarFileId,
    createdAt: room.createdAt.getTime(),
    modifiedAt: room.modifiedAt.getTime(),
    ...extra,
  } satisfies RoomDto;
}

export function presentMember(m: MemberRow): RoomMemberDto {
  return { userId: m.userId, username: m.user.username, displayName: m.user.displayName, isAdmin: m.isAdmin } satisfies RoomMemberDto;
}

export const memberInclude = {
  user: { select: { username: true, displayName: true } },
} as const;
