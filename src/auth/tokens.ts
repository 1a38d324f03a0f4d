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

export function createTokenService(secret: string, expiresInS: number): TokenService {
  // A KeyObject made once: given a string, jsonwebtoken first tries (and fails) to parse it as a
  // public key on every verify, which cost more than the rest of a request's authentication.
  const key = createSecretKey(Buffer.from(secret));
  return {
    sign: (userId) => jwt.sign({}, key, { algorithm: "HS256", subject: String(userId), expiresIn: expiresInS }),
    verify(token) {
      try {
        const claims = jwt.verify(token, key, { algorithms: ["HS256"] });
        const id = typeof claims === "object" ? Number(claims.sub) : NaN;
        return Number.isInteger(id) && id > 0 ? id : undefined;
      } catch {
        return undefined;
      }
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
