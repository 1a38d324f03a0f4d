// HS256 JWTs: the algorithm is pinned on verification, so `alg: none` and other keys are refused.
import fs from "node:fs";
import path from "node:path";
import { createSecretKey, randomBytes } from "node:crypto";
import jwt from "jsonwebtoken";
import type { Config } from "../config.ts";
import type { SharedDatabase } from "../db/client.ts";

export interface TokenService {
  sign(userId: number): string;
  /** The user id of a valid token, or undefined. */
  verify(token: string): number | undefined;
}

/** Tokens remembered as verified, at most (a client sends the same token with every request). */
const VERIFIED_CACHE = 10_000;

export function createTokenService(secret: string, expiresInS: number): TokenService {
  // A KeyObject made once: given a string, jsonwebtoken first tries (and fails) to parse it as a
  // public key on every verify, which cost more than the rest of a request's authentication.
  const key = createSecretKey(Buffer.from(secret));
  // A token's verdict cannot change before it expires: each is checked once (HMAC and JSON), then
  // looked up. Only valid tokens are kept, so unknown strings cannot fill it.
  const verified = new Map<string, { userId: number; expiresAtMs: number }>();
  function check(token: string): { userId: number; expiresAtMs: number } | undefined {
    try {
      const claims = jwt.verify(token, key, { algorithms: ["HS256"] });
      if (typeof claims !== "object") return undefined;
      const id = Number(claims.sub);
      if (!Number.isInteger(id) || id <= 0 || typeof claims.exp !== "number") return undefined;
      return { userId: id, expiresAtMs: claims.exp * 1000 };
    } catch {
      return undefined;
    }
  }
  return {
    sign: (userId) => jwt.sign({}, key, { algorithm: "HS256", subject: String(userId), expiresIn: expiresInS }),
    verify(token) {
      let entry = verified.get(token);
      if (!entry) {
        entry = check(token);
        if (!entry) return undefined;
        if (verified.size >= VERIFIED_CACHE) verified.delete(verified.keys().next().value!);
        verified.set(token, entry);
      }
      if (Date.now() >= entry.expiresAtMs) {
        verified.delete(token);
        return undefined;
      }
      return entry.userId;
    },
  };
}

/**
 * JWT_SECRET when set; otherwise a secret generated once and kept in a file beside the
 * SQLite database, so tokens survive a restart. The database says which it is (createDatabase decided).
 */
export function resolveJwtSecret(config: Config, database: SharedDatabase): string {
  if (config.jwtSecret) return config.jwtSecret;
  if (database.dialect === "postgres") {
    throw new Error("JWT_SECRET must be set when DATABASE_URL is PostgreSQL");
  }
  const file = path.join(path.dirname(database.file), "jwt-secret");
  fs.mkdirSync(path.dirname(file), { recursive: true });
  try {
    // "wx" fails if another process wrote it first; then we read theirs.
    fs.writeFileSync(file, randomBytes(48).toString("base64url"), { flag: "wx", mode: 0o600 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
  }
  return fs.readFileSync(file, "utf8").trim();
}
