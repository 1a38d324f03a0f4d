// Prisma's better-sqlite3 adapter has one connection and a mutex that only transactions take: a
// plain query that runs while another request's interactive transaction is open executes inside
// that transaction, and is lost if it rolls back (a 201 for a row that never commits). This
// wrapper makes plain queries wait for the open transaction, as a second connection would.
import type { SqlDriverAdapter, SqlDriverAdapterFactory, Transaction } from "@prisma/driver-adapter-utils";

function createLock() {
  let tail: Promise<void> = Promise.resolve();
  return function acquire(): Promise<() => void> {
    let release!: () => void;
    const previous = tail;
    tail = new Promise<void>((resolve) => (release = resolve));
    return previous.then(() => release);
  };
}

function serialize(adapter: SqlDriverAdapter): SqlDriverAdapter {
  const acquire = createLock();
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

export function serializedSqlite(factory: SqlDriverAdapterFactory): SqlDriverAdapterFactory {
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => serialize(await factory.connect()),
  };
}
