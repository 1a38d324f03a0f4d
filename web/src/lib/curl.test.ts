/// <reference types="node" />
import { execFileSync } from "node:child_process";
import { createHmac } from "node:crypto";
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { buildCurl, hmacKeyHex, shellQuote, SLACK_EXAMPLE } from "./curl.ts";

const hasShellTools = existsSync("/bin/bash") && ["/usr/bin/openssl", "/bin/openssl"].some(existsSync);

/** Runs the example's signing lines (everything before `curl`) and prints $SIG. */
function signatureFromExample(example: string): string {
  const script = example.split("\ncurl ")[0] + '\nprintf %s "$SIG"';
  return execFileSync("/bin/bash", ["-c", script], { encoding: "utf8" });
}

describe("curl examples", () => {
  it("quotes values for the shell", () => {
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
    expect(execFileSync("/bin/sh", ["-c", `printf %s ${shellQuote("a'b $HOME")}`], { encoding: "utf8" })).toBe("a'b $HOME");
  });

  it("uses the decoded bytes of a whsec_ secret and the UTF-8 bytes of any other", () => {
    const raw = Buffer.from("0123456789abcdef0123456789abcdef");
    expect(hmacKeyHex("whsec_" + raw.toString("base64"))).toBe(raw.toString("hex"));
    expect(hmacKeyHex("plain-secret-ünï")).toBe(Buffer.from("plain-secret-ünï").toString("hex"));
  });

  it("sends the API key in x-api-key", () => {
    const example = buildCurl({ url: "http://localhost:3000/api/hooks/1", verification: "api_key", apiKey: "k'ey" });
    expect(example).toContain(`-H 'x-api-key: k'\\''ey'`);
    expect(example).toContain(`--data-raw '{"text":"Hello from curl"}'`);
  });

  it.skipIf(!hasShellTools)("signs exactly as the server checks (base64 and hex)", () => {
    const secret = "whsec_" + Buffer.from("k".repeat(32)).toString("base64");
    const body = JSON.stringify({ text: "Hello from curl" });
    const key = Buffer.from("k".repeat(32));
    const b64 = buildCurl({ url: "http://h/x", verification: "hmac_sha256_base64", secret });
    expect(signatureFromExample(b64)).toBe(createHmac("sha256", key).update(body).digest("base64"));
    const hex = buildCurl({ url: "http://h/x", verification: "hmac_sha256_hex", secret: "a-plain-secret-1234" });
    expect(signatureFromExample(hex)).toBe(createHmac("sha256", "a-plain-secret-1234").update(body).digest("hex"));
    expect(hex).toContain('-H "X-Signature: $SIG"');
  });
});

describe("the Slack-shaped example", () => {
  it("sends text and attachments as one JSON body", () => {
    const example = buildCurl({ url: "http://h/x", verification: "api_key", apiKey: "k" }, SLACK_EXAMPLE);
    expect(example).toContain(`--data-raw '${JSON.stringify(SLACK_EXAMPLE)}'`);
  });
});
