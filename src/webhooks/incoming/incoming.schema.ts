// The incoming-hook routes' schemas: the contract's (src/contracts/incoming.ts), with the one
// rule the contract cannot hold: a template must parse as Mustache (it needs the renderer).
import { incomingBodies, templateText } from "../../contracts/incoming.ts";
import { templateProblem } from "./template.ts";

export { hookParams, incomingListParams, incomingParams } from "../../contracts/incoming.ts";

/** A Mustache template, checked when it is saved (parsed, no partials, at most 4,000 characters). */
export const template = templateText.superRefine((t, ctx) => {
  const problem = templateProblem(t);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

export const { createIncomingBody, updateIncomingBody, previewBody } = incomingBodies(template);
