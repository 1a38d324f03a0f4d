// A refused request to an incoming hook: the API error the caller gets, and the reason in a few
// words that the hook's request log shows ("bad key", "malformed JSON", ...).
import { AppError } from "../../http/errors.ts";

export class HookRefusal extends AppError {
  constructor(
    readonly reason: string,
    error: AppError,
  ) {
    super(error.status, error.code, error.message, error.details, error.headers);
  }
}

export const refuse = (reason: string, error: AppError) => new HookRefusal(reason, error);
