// The inspector routes' schemas: the contract's (src/contracts/inspector.ts).
export { binId, binParams, requestParams, verifyBody } from "../contracts/inspector.ts";
