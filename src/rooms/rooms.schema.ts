// The room routes' schemas: the contract's (src/contracts/rooms.ts).
export { addMemberBody, createRoomBody, memberParams, roomParams, updateMemberBody, updateRoomBody } from "../contracts/rooms.ts";
