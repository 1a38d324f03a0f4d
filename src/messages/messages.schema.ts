// The message routes' and `message:send`'s schemas: the contract's (src/contracts/messages.ts).
export { editMessageBody, historyQuery, messageBody, messageParams, sendMessageBody, sendMessageEvent } from "../contracts/messages.ts";
