// The sign-up and login bodies: the contract's schemas (src/contracts/users.ts).
export { loginBody, registerBody, username } from "../contracts/users.ts";
