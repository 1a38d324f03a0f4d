// Goal 7: the ingest, starvation, latency and delivery-rate figures on PostgreSQL, for one server
// process and for two (sharing the database and Redis; the load generator spreads its requests
// over both), judged against a tenth of the SQLite goals. Skipped, with the reason, when
// PostgreSQL (or, for two processes, Redis) does not answer on 127.0.0.1.
import type { Ctx } from "../lib/context.ts";
import { unavailable, type SetupName } from "../lib/deploy.ts";
import { drain } from "./drain.ts";
import { ingest } from "./ingest.ts";
import { latency } from "./latency.ts";

export async function postgres(ctx: Ctx) {
  const out: Record<string, unknown> = {};
  for (const setup of ctx.settings.postgresSetups as SetupName[]) {
    const reason = await unavailable(setup);
    if (reason) {
      ctx.log(`${setup}: skipped (${reason})`);
      out[setup] = { skipped: reason };
      continue;
    }
    const errors: Record<string, string> = {};
    const attempt = async <T>(name: string, fn: () => Promise<T>) => {
      try {
        return await fn();
      } catch (err) {
        errors[name] = (err as Error).message;
        ctx.log(`${setup} ${name} failed: ${(err as Error).message}`);
        return undefined;
      }
    };
    out[setup] = {
      processes: setup === "postgres-2" ? 2 : 1,
      ingest: await attempt("ingest", () => ingest(ctx, setup)),
      latency: await attempt("latency", () => latency(ctx, setup)),
      drain: await attempt("drain", () => drain(ctx, setup)),
      ...(Object.keys(errors).length ? { errors } : {}),
    };
  }
  return out;
}
