// The user routes' schemas: the contract's (src/contracts/users.ts).
export { userParams, userSearchQuery } from "../contracts/users.ts";
