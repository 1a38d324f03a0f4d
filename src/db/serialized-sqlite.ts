// Prisma's better-sqlite3 adapter has one connection and a mutex that only transactions take: a
// plain query that runs while another request's interactive transaction is open executes inside
// that transaction, and is lost if it rolls back (a 201 for a row that never commits). This
// wrapper makes plain queries wait for the open transaction, as a second connection would. The
// lock is the file's WriteMutex, so Prisma's statements and transactions also never meet another
// connection's write (the hot path's, the dispatcher thread's) in SQLite's sleeping busy handler.
import type { SqlDriverAdapter, SqlDriverAdapterFactory, Transaction } from "@prisma/driver-adapter-utils";
import type { WriteMutex } from "./write-mutex.ts";

function serialize(adapter: SqlDriverAdapter, mutex: WriteMutex): SqlDriverAdapter {
  const acquire = () => mutex.acquire();
  const locked =
    <A extends unknown[], R>(fn: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      const release = await acquire();
      try {
        return await fn(...args);
      } finally {
        release();
      }
    };
  return new Proxy(adapter, {
    get(target, prop, receiver) {
      if (prop === "queryRaw" || prop === "executeRaw" || prop === "executeScript") {
        return locked((target[prop] as (...a: unknown[]) => Promise<unknown>).bind(target));
      }
      if (prop === "startTransaction") {
        return async (...args: Parameters<SqlDriverAdapter["startTransaction"]>) => {
          const release = await acquire();
          try {
            return holdUntilEnd(await target.startTransaction(...args), release);
          } catch (err) {
            release();
            throw err;
          }
        };
      }
      const value = Reflect.get(target, prop, receiver);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/** The lock is held from BEGIN until the transaction commits or rolls back. */
function holdUntilEnd(tx: Transaction, release: () => void): Transaction {
  let released = false;
  const end = () => {
    if (!released) {
      released = true;
      release();
    }
  };
  return new Proxy(tx, {
    get(target, prop, receiver) {
      if (prop === "commit" || prop === "rollback") {
        return async () => {
          try {
            return await target[prop]();
          } finally {
            end();
          }
        };
      }
      const value = Reflect.get(target, prop, receiver);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

export function serializedSqlite(factory: SqlDriverAdapterFactory, mutex: WriteMutex): SqlDriverAdapterFactory {
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => serialize(await factory.connect(), mutex),
  };
}
