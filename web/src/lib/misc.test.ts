import { describe, expect, it } from "vitest";
import { ApiError, toApiError } from "../api/http.ts";
import { errorMessage, fieldErrors } from "./errors.ts";
import { parseRoute, routePath } from "./router.ts";
import { activeTypists, noteTyping, typingText } from "./typing.ts";

describe("errors in words", () => {
  it("uses the server's message and never shows an object", () => {
    const error = toApiError(409, { error: { code: "conflict", message: "That username is taken." } });
    expect(errorMessage(error)).toBe("That username is taken.");
    expect(errorMessage({ error: { message: "nested" } })).toBe("nested");
    expect(errorMessage({})).toBe("Something went wrong.");
    expect(errorMessage(toApiError(502, "<html>bad gateway</html>"))).toMatch(/server had a problem/);
  });

  it("maps validation details to fields, nested paths included", () => {
    const error = new ApiError(400, "validation_failed", "Check the form", [
      { path: "url", message: "Must be a URL" },
      { path: "headers.X-A", message: "Bad header" },
      { path: ["maxAttempts"], message: "Too big" },
    ]);
    expect(fieldErrors(error)).toEqual({
      url: "Must be a URL",
      "headers.X-A": "Bad header",
      headers: "Bad header",
      maxAttempts: "Too big",
    });
    expect(fieldErrors(new Error("x"))).toEqual({});
  });
});

describe("routes", () => {
  it("parses and prints the client's paths", () => {
    expect(parseRoute("/rooms/12")).toEqual({ name: "room", roomId: 12 });
    expect(parseRoute("/inspector/abc")).toEqual({ name: "inspector", binId: "abc" });
    expect(parseRoute("/inspector")).toEqual({ name: "inspector", binId: null });
    expect(parseRoute("/rooms/x")).toEqual({ name: "home" });
    expect(routePath({ name: "inspector", binId: "a b" })).toBe("/inspector/a%20b");
  });
});

describe("typing", () => {
  it("lists people for a few seconds after their last keystroke", () => {
    const map = noteTyping(noteTyping({}, 1, 0), 2, 3000);
    expect(activeTypists(map, 3500).sort()).toEqual([1, 2]);
    expect(activeTypists(map, 5000)).toEqual([2]);
    expect(typingText(["Ann"])).toBe("Ann is typing…");
    expect(typingText(["Ann", "Bo"])).toBe("Ann and Bo are typing…");
    expect(typingText(["a", "b", "c"])).toBe("Several people are typing…");
    expect(typingText([])).toBeNull();
  });
});
