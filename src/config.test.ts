import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "./config.ts";

describe("loadConfig", () => {
  it("applies the contract's defaults", () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      port: 3000,
      host: "0.0.0.0",
      databaseUrl: "file:./data/chat.db",
      redisUrl: undefined,
      jwtSecret: undefined,
      publicUrl: undefined,
      logLevel: "info",
    });
    expect(c.webhooks).toMatchObject({
      allowPrivateNetworks: false,
      timeoutMs: 10_000,
      retryDelaysMs: [5000, 300000, 1800000, 7200000, 18000000, 36000000, 36000000],
    });
    expect(c.socketRates).toEqual({ message: { ratePerSecond: 5, burst: 20 }, typing: { ratePerSecond: 1, burst: 5 } });
    expect(c.metricsToken).toBeUndefined();
    expect(c.inspector).toEqual({ ratePerSecond: 20, burst: 50 });
    expect(c.retentionDays).toBe(30);
    expect(Object.isFrozen(c)).toBe(true);
  });

  it("reads the socket rate limits and METRICS_TOKEN, refusing a short token", () => {
    const c = loadConfig({ SOCKET_MESSAGE_BURST: "3", SOCKET_TYPING_RATE_PER_S: "0.5", METRICS_TOKEN: "a-token-of-16-chars" });
    expect(c.socketRates.message.burst).toBe(3);
    expect(c.socketRates.typing.ratePerSecond).toBe(0.5);
    expect(c.metricsToken).toBe("a-token-of-16-chars");
    expect(() => loadConfig({ METRICS_TOKEN: "short" })).toThrow(/METRICS_TOKEN/);
  });

  it("reads RETENTION_DAYS and the inspector's capture limit; refuses a retention under a day", () => {
    const c = loadConfig({ RETENTION_DAYS: "7", INSPECTOR_RATE_PER_S: "0.5", INSPECTOR_BURST: "3" });
    expect(c.retentionDays).toBe(7);
    expect(c.inspector).toEqual({ ratePerSecond: 0.5, burst: 3 });
    for (const days of ["0", "-1", "1.5", "soon"]) expect(() => loadConfig({ RETENTION_DAYS: days })).toThrow(/RETENTION_DAYS/);
  });

  it("parses given values and treats empty ones as unset", () => {
    const c = loadConfig({
      PORT: "0",
      WEBHOOK_ALLOW_PRIVATE_NETWORKS: "true",
      WEBHOOK_RETRY_DELAYS_MS: "10,20",
      PUBLIC_URL: "https://chat.example.com/",
      JWT_SECRET: "",
    });
    expect(c.port).toBe(0);
    expect(c.webhooks.allowPrivateNetworks).toBe(true);
    expect(c.webhooks.retryDelaysMs).toEqual([10, 20]);
    expect(c.publicUrl).toBe("https://chat.example.com");
    expect(c.jwtSecret).toBeUndefined();
  });

  it("names every bad variable in one error", () => {
    const bad = () =>
      loadConfig({ PORT: "http", WEBHOOK_TIMEOUT_MS: "-1", WEBHOOK_RETRY_DELAYS_MS: "5s", DATABASE_URL: "mysql://x", LOG_LEVEL: "loud", WEBHOOK_ALLOW_PRIVATE_NETWORKS: "yes" });
    expect(bad).toThrow(ConfigError);
    try {
      bad();
    } catch (err) {
      for (const name of ["PORT", "WEBHOOK_TIMEOUT_MS", "WEBHOOK_RETRY_DELAYS_MS", "DATABASE_URL", "LOG_LEVEL", "WEBHOOK_ALLOW_PRIVATE_NETWORKS"]) {
        expect((err as Error).message).toContain(name);
      }
    }
  });
});
