// Checks every response the integration tests receive against the OpenAPI document: the route
// (path template + method) must list the status, and a JSON body must match that status's schema
// (ajv, JSON Schema 2020-12, as OpenAPI 3.1 uses). A path the document does not know (a test of
// unknown routes) must still answer errors in the error shape.
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import { apiRoutes } from "../../src/openapi/api-routes.ts";
import { buildOpenApiDocument } from "../../src/openapi/document.ts";

type Operation = { responses: Record<string, { content?: Record<string, unknown> }> };
type Doc = { paths: Record<string, Record<string, Operation>> };

interface Checker {
  doc: Doc;
  ajv: Ajv2020;
  templates: { path: string; pattern: RegExp }[];
  validators: Map<string, ValidateFunction>;
}

let checker: Checker | undefined;

/** Built once per test process: the same builder the server serves the document from. */
function getChecker(): Checker {
  if (checker) return checker;
  const doc = buildOpenApiDocument(apiRoutes(), "test") as unknown as Doc;
  // OpenAPI's own keywords (example, discriminator, ...) are not JSON Schema's: not strict.
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
  ajv.addSchema(doc as object, "openapi");
  const templates = Object.keys(doc.paths).map((path) => ({
    path,
    pattern: new RegExp(`^${path.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{[^}]+\}/g, "[^/]+")}$`),
  }));
  checker = { doc, ajv, templates, validators: new Map() };
  return checker;
}

const pointer = (...parts: string[]) => parts.map((p) => encodeURIComponent(p.replace(/~/g, "~0").replace(/\//g, "~1"))).join("/");

function validatorFor(c: Checker, ref: string): ValidateFunction {
  let v = c.validators.get(ref);
  if (!v) {
    v = c.ajv.getSchema(`openapi#/${ref}`);
    if (!v) throw new Error(`no schema at ${ref}`);
    c.validators.set(ref, v);
  }
  return v;
}

/** The problem with a response, or null when it matches the document. */
export function responseProblem(method: string, url: string, status: number, contentType: string | null, body: unknown): string | null {
  const c = getChecker();
  const path = new URL(url, "http://x").pathname.replace(/(.)\/$/, "$1");
  const m = method.toLowerCase();
  const template = c.templates.find((t) => t.pattern.test(path) && c.doc.paths[t.path]![m]);
  const isJson = contentType?.includes("application/json") ?? false;
  if (!template) {
    // Not a route of the document (an unknown path or method): only the error shape is checked.
    if (status < 400 || !isJson) return null;
    const valid = validatorFor(c, pointer("components", "schemas", "Error"));
    return valid(body) ? null : `${method} ${path} -> ${status}: not the error shape: ${c.ajv.errorsText(valid.errors)}`;
  }
  const responses = c.doc.paths[template.path]![m]!.responses;
  const response = responses[String(status)];
  if (!response) return `${method} ${template.path} answered ${status}, which the document does not list (${Object.keys(responses).join(", ")})`;
  if (!response.content) return body === undefined ? null : `${method} ${template.path} -> ${status}: a body where the document says none`;
  if (!isJson) {
    return response.content["application/json"] ? `${method} ${template.path} -> ${status}: ${contentType}, the document says JSON` : null;
  }
  if (!response.content["application/json"]) return `${method} ${template.path} -> ${status}: JSON, the document says ${Object.keys(response.content).join(", ")}`;
  const valid = validatorFor(c, pointer("paths", template.path, m, "responses", String(status), "content", "application/json", "schema"));
  if (valid(body)) return null;
  return `${method} ${template.path} -> ${status} does not match the document: ${c.ajv.errorsText(valid.errors, { separator: "; " })}`;
}

/** Throws when a response does not match the document. */
export function checkResponse(method: string, url: string, status: number, contentType: string | null, body: unknown): void {
  const problem = responseProblem(method, url, status, contentType, body);
  if (problem) throw new Error(`OpenAPI: ${problem}`);
}
