import { describe, expect, it } from "vitest";
import { connectionBanner, initialConnection, isResync, reduceConnection, retryDelay, type ConnectionEvent } from "./connection.ts";

const run = (...events: ConnectionEvent[]) => events.reduce(reduceConnection, initialConnection);

describe("connection state", () => {
  it("goes online on connect and shows no banner", () => {
    const state = run({ type: "connect" });
    expect(state.status).toBe("online");
    expect(connectionBanner(state)).toBeNull();
  });

  it("reconnects after the server goes away and asks for a resync when back", () => {
    const lost = run({ type: "connect" }, { type: "disconnect", reason: "transport close" });
    expect(lost.status).toBe("reconnecting");
    const failing = reduceConnection(lost, { type: "connect_error", message: "xhr poll error", willRetry: true });
    expect(failing.attempts).toBe(1);
    expect(connectionBanner(failing)).toMatch(/Reconnecting/);
    const back = reduceConnection(failing, { type: "connect" });
    expect(isResync(failing, back)).toBe(true);
    expect(back.attempts).toBe(0);
  });

  it("does not call the first connection a resync", () => {
    const connecting = run({ type: "connect_error", message: "x", willRetry: true });
    expect(isResync(connecting, reduceConnection(connecting, { type: "connect" }))).toBe(false);
  });

  it("is offline after a refused connection or our own disconnect", () => {
    const refused = run({ type: "connect_error", message: "unauthorized", willRetry: false });
    expect(refused.status).toBe("offline");
    expect(connectionBanner(refused)).toContain("unauthorized");
    expect(run({ type: "connect" }, { type: "disconnect", reason: "io client disconnect" }).status).toBe("offline");
  });

  it("follows the browser's offline and online events", () => {
    const offline = run({ type: "connect" }, { type: "browser_offline" });
    expect(offline.status).toBe("offline");
    expect(reduceConnection(offline, { type: "browser_online" }).status).toBe("reconnecting");
  });

  it("backs off manual retries up to 30 s", () => {
    expect(retryDelay(0)).toBe(1000);
    expect(retryDelay(3)).toBe(8000);
    expect(retryDelay(50)).toBe(30000);
  });
});
