// Prisma's SQLite driver binds at most 999 values per statement, so an `in` list of ids is sent
// in chunks well below that (PostgreSQL takes the same path: one code for both).
export const ID_CHUNK = 500;

/** Runs `fn` over consecutive slices of `items` (one at a time) and concatenates the results. */
export async function inChunks<T, R>(items: readonly T[], fn: (chunk: T[]) => Promise<R[]>, size = ID_CHUNK): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size) out.push(...(await fn(items.slice(i, i + size))));
  return out;
}
