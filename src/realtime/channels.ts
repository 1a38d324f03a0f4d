// The Socket.IO rooms ("channels") a socket can be in, named in one place: membership decides the
// room and admin channels, the user channel reaches every socket of one user, and an inspector
// channel holds the sockets watching one bin.
export const roomChannel = (roomId: number) => `room:${roomId}`;
export const userChannel = (userId: number) => `user:${userId}`;
/** The admins of a room: they alone get delivery details (request bodies, responses). */
export const adminChannel = (roomId: number) => `admins:${roomId}`;
export const inspectorChannel = (binId: string) => `inspector:${binId}`;
