// A pg Pool for Prisma's PostgreSQL adapter. Prisma 6.19's adapter cannot decode the `name`
// column type (oid 19) that schema introspection returns, so `migrate deploy` fails as shipped
// (prisma/prisma#27403): this pool reports `name` columns as `text` (oid 25), which they are byte for byte.
import pg from "pg";

const NAME_OID = 19;
const TEXT_OID = 25;

type QueryResult = { fields?: { dataTypeID: number }[] };

function relabel<R>(result: R): R {
  for (const field of (result as QueryResult)?.fields ?? []) {
    if (field.dataTypeID === NAME_OID) field.dataTypeID = TEXT_OID;
  }
  return result;
}

function patchQuery(target: { query: (...args: any[]) => any }) {
  const original = target.query.bind(target);
  target.query = (...args: any[]) => {
    const callback = args[args.length - 1];
    if (typeof callback === "function") {
      args[args.length - 1] = (err: unknown, result: unknown) => callback(err, err ? result : relabel(result));
      return original(...args);
    }
    const returned = original(...args);
    return returned && typeof returned.then === "function" ? returned.then(relabel) : returned;
  };
}

export function createPgPool(connectionString: string, max = 10): pg.Pool {
  const pool = new pg.Pool({ connectionString, max });
  patchQuery(pool);
  pool.on("connect", (client) => patchQuery(client));
  return pool;
}
