// Prisma's SQLite driver binds at most 999 values per statement, so an `in` list of ids is sent
// in slices well below that (PostgreSQL takes the same path: one code for both).
export const ID_CHUNK = 500;

export function* chunked<T>(items: readonly T[], size = ID_CHUNK): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}
