import { describe, expect, it } from "vitest";
import { redactHeaders, redactUrl } from "./logger.ts";

describe("request log redaction", () => {
  it("keeps the path and the API's own query values, and redacts every other value", () => {
    expect(redactUrl("/api/hooks/7?token=abc")).toBe("/api/hooks/7?token=[redacted]");
    expect(redactUrl("/api/rooms/1/messages?limit=10&before=5")).toBe("/api/rooms/1/messages?limit=10&before=5");
    expect(redactUrl("/inspect/bin?api_key=k&sig=s&flag&limit=2")).toBe("/inspect/bin?api_key=[redacted]&sig=[redacted]&flag&limit=2");
    expect(redactUrl("/x?%74oken=abc&%E0%A4%A=1")).toBe("/x?%74oken=[redacted]&%E0%A4%A=[redacted]");
    expect(redactUrl("/healthz")).toBe("/healthz");
    expect(redactUrl(undefined)).toBeUndefined();
  });

  it("logs allowed headers' values and only the names of the others", () => {
    expect(
      redactHeaders({
        "content-type": "application/json",
        "user-agent": "curl",
        authorization: "Bearer t",
        "x-api-key": "k",
        "webhook-signature": "v1,s",
        "x-signature": "h",
        "verification-signature": "v",
        cookie: "c",
        "x-anything-custom": "secret",
      }),
    ).toEqual({
      "content-type": "application/json",
      "user-agent": "curl",
      authorization: "[redacted]",
      "x-api-key": "[redacted]",
      "webhook-signature": "[redacted]",
      "x-signature": "[redacted]",
      "verification-signature": "[redacted]",
      cookie: "[redacted]",
      "x-anything-custom": "[redacted]",
    });
  });
});
